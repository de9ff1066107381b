namespace AgentPassport.IssuerService.Tests;

/// <summary>
/// Stands in for the OIDC layer's <c>IdTokenValidator</c> (tested against a real provider in AgentPassport.Identity.Tests):
/// "id-token:NAME" is a valid ID token for principal NAME at IAL2/AAL2; anything else is refused as the real one refuses.
/// </summary>
internal sealed class TestIdentityValidator : IIdentityValidator
{
    public ValueTask<IdentityAssertion> ValidateAsync(string idToken, CancellationToken cancellationToken = default) =>
        idToken.StartsWith("id-token:", StringComparison.Ordinal) && idToken.Length > 9
            ? ValueTask.FromResult(new IdentityAssertion("https://idp.example", idToken[9..], "urn:test:ial2", new AssuranceLevels(2, 2, 1)))
            : throw AgentPassportException.Create(PassportErrorKind.InvalidIdToken, "the ID token's signature does not verify");
}
