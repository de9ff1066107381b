namespace AgentPassport;

/// <summary>
/// Resolves the trusted public key for a <c>kid</c>. Lookup is exact: a resolver never "tries every key".
/// Implementations: <see cref="InMemoryPassportKeyStore"/>, <see cref="JwksPassportKeyResolver"/>
/// and the remote JWKS resolver of the OIDC layer.
/// </summary>
public interface IPassportKeyResolver
{
    /// <summary>Finds the trusted key whose id is exactly <paramref name="keyId"/>.</summary>
    /// <param name="keyId">The <c>kid</c> from the token header.</param>
    /// <param name="cancellationToken">Cancels a remote lookup.</param>
    /// <returns>The key, or null when no trusted key has that id.</returns>
    ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default);
}
