namespace AgentPassport;

/// <summary>
/// Resolves the trusted public key for a <c>kid</c>. Lookup is exact: a resolver never "tries every key".
/// Implementations: <see cref="InMemoryPassportKeyStore"/>, <see cref="JwksPassportKeyResolver"/>
/// and <see cref="RemoteJwksPassportKeyResolver"/>. A resolver may throw an <see cref="AgentPassportException"/>
/// (for example <see cref="PassportErrorKind.JwksError"/>); <see cref="PassportVerifier"/> reports it as the typed error.
/// </summary>
public interface IPassportKeyResolver
{
    /// <summary>Finds the trusted key whose id is exactly <paramref name="keyId"/>.</summary>
    /// <param name="keyId">The <c>kid</c> from the token header.</param>
    /// <param name="cancellationToken">Cancels a remote lookup.</param>
    /// <returns>The key, or null when no trusted key has that id.</returns>
    ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default);
}
