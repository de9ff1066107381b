namespace AgentPassport;

/// <summary>
/// A key store in memory: for tests, samples and processes whose Passports need not outlive them. Thread-safe.
/// </summary>
public sealed class InMemoryPassportKeyStore : IPassportKeyStore, IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _algorithm;
    private readonly List<PassportSigningKey> _retired = [];
    private PassportSigningKey _current;
    private KeyRing _ring;

    /// <summary>Initializes a store with a newly generated key.</summary>
    /// <param name="algorithm">ES256 (default), RS256 or PS256.</param>
    public InMemoryPassportKeyStore(string algorithm = PassportAlgorithms.ES256)
        : this(PassportSigningKey.Generate(algorithm))
    {
    }

    /// <summary>Initializes a store with an existing key; the store takes ownership of it.</summary>
    /// <param name="signingKey">The signing key.</param>
    public InMemoryPassportKeyStore(PassportSigningKey signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        _algorithm = signingKey.Algorithm;
        _current = signingKey;
        _ring = new KeyRing([signingKey.PublicKey]);
    }

    /// <inheritdoc />
    public PassportSigningKey CurrentSigningKey => Volatile.Read(ref _current);

    /// <inheritdoc />
    public IReadOnlyList<PassportVerificationKey> VerificationKeys => Volatile.Read(ref _ring).Keys;

    /// <inheritdoc />
    public ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        new(Volatile.Read(ref _ring).Find(keyId));

    /// <inheritdoc />
    public PassportSigningKey Rotate()
    {
        lock (_gate)
        {
            var next = PassportSigningKey.Generate(_algorithm);
            _retired.Add(_current);
            Volatile.Write(ref _ring, _ring.With(next.PublicKey));
            Volatile.Write(ref _current, next);
            return next;
        }
    }

    /// <summary>Gets the public keys as a JWKS document.</summary>
    /// <returns>The JWKS JSON text.</returns>
    public string ExportJwks() => Jwks.Export(VerificationKeys);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _current.Dispose();
            foreach (var key in _retired)
            {
                key.Dispose();
            }
        }
    }
}
