namespace AgentPassport.Cli;

/// <summary>The CLI's calls into the OIDC layer: ID token validation and the PKCE loopback login.</summary>
internal static class CspClient
{
    public static ValueTask<IdentityAssertion> ValidateAsync(CspSettings csp, string idToken, CancellationToken ct) =>
        throw new CliFailure("the OIDC layer is not available in this build");

    public static Task<string> LoginAsync(CspSettings csp, bool noBrowser, CancellationToken ct) =>
        throw new CliFailure("the OIDC layer is not available in this build");
}
