namespace AgentPassport;

/// <summary>Trusts exactly the keys of a JWKS document (for example another process's <c>keys jwks</c> output). Thread-safe.</summary>
public sealed class JwksPassportKeyResolver : IPassportKeyResolver
{
    private readonly KeyRing _ring;

    /// <summary>Initializes a resolver over <paramref name="keys"/>.</summary>
    /// <param name="keys">The trusted keys.</param>
    public JwksPassportKeyResolver(IEnumerable<PassportVerificationKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _ring = new KeyRing([.. keys]);
    }

    /// <summary>Gets the trusted keys.</summary>
    public IReadOnlyList<PassportVerificationKey> Keys => _ring.Keys;

    /// <summary>Creates a resolver from JWKS JSON text.</summary>
    /// <param name="jwksJson">The JWKS document.</param>
    /// <returns>The resolver.</returns>
    /// <exception cref="FormatException">The text is not a JWKS document.</exception>
    public static JwksPassportKeyResolver FromJson(string jwksJson) => new(Jwks.Import(jwksJson));

    /// <inheritdoc />
    public ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        new(_ring.Find(keyId));
}
