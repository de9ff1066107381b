using System.Collections;

namespace AgentPassport;

/// <summary>
/// The issuers a <see cref="PassportVerifier"/> trusts, each with its own key set (spec v1.1 §10): a token's <c>kid</c>
/// is looked up only in the key set of the token's own <c>iss</c>, so one issuer's key can never sign for another.
/// </summary>
/// <example>
/// <code>
/// var verifier = new PassportVerifier(new TrustedIssuers
/// {
///     { "https://passport.a.example", keysOfA },
///     { "https://passport.b.example", JwksPassportKeyResolver.FromJson(jwksOfB) },
/// });
/// </code>
/// </example>
/// <remarks>The verifier copies the registry when it is constructed; later additions do not change it.</remarks>
public sealed class TrustedIssuers : IEnumerable<KeyValuePair<string, IPassportKeyResolver>>
{
    private readonly Dictionary<string, IPassportKeyResolver> _byIssuer = new(StringComparer.Ordinal);

    /// <summary>Gets the number of trusted issuers.</summary>
    public int Count => _byIssuer.Count;

    /// <summary>Trusts <paramref name="issuer"/> with the keys of <paramref name="keys"/>, and those keys for nothing else.</summary>
    /// <param name="issuer">The exact <c>iss</c> (ordinal; no trailing-slash or case folding).</param>
    /// <param name="keys">The issuer's key set: an <see cref="IPassportKeyStore"/>, a <see cref="JwksPassportKeyResolver"/> or a <see cref="RemoteJwksPassportKeyResolver"/>.</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentException">The issuer is empty or already listed.</exception>
    public TrustedIssuers Add(string issuer, IPassportKeyResolver keys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        ArgumentNullException.ThrowIfNull(keys);
        if (!_byIssuer.TryAdd(issuer, keys))
        {
            throw new ArgumentException($"The issuer '{issuer}' is already trusted; each issuer has exactly one key set.", nameof(issuer));
        }

        return this;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, IPassportKeyResolver>> GetEnumerator() => _byIssuer.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
