namespace AgentPassport;

/// <summary>Turns a credential from an identity provider (an OIDC ID token) into a validated <see cref="IdentityAssertion"/>.</summary>
public interface IIdentityValidator
{
    /// <summary>Validates <paramref name="idToken"/> and returns who it asserts.</summary>
    /// <param name="idToken">The credential.</param>
    /// <param name="cancellationToken">Cancels the validation.</param>
    /// <returns>The assertion.</returns>
    /// <exception cref="AgentPassportException">The credential is invalid or cannot be checked now.</exception>
    ValueTask<IdentityAssertion> ValidateAsync(string idToken, CancellationToken cancellationToken = default);
}
