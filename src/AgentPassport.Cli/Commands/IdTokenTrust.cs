namespace AgentPassport.Cli;

/// <summary>
/// Chooses who checks the ID token <c>issue</c> was given: the configured CSP, or — only while no CSP is configured —
/// the development provider of <c>login --mock</c>. A development ID token is refused outright when a CSP is configured.
/// </summary>
internal static class IdTokenTrust
{
    public static (IdTokenValidator Validator, IDisposable Owner) Open(CliEnvironment env, string idToken)
    {
        bool fromDevelopment = DevelopmentProvider.IsIssuerOf(idToken);
        if (env.GetNonEmpty("CSP_DISCOVERY_URL") is not null)
        {
            if (fromDevelopment)
            {
                throw new CliFailure("issuance failed: the ID token comes from the development provider of 'login --mock', which is never trusted while CSP_DISCOVERY_URL is set; run 'agent-passport login' at your provider.");
            }

            var csp = CspClient.Create(env);
            return (csp.Validator, csp);
        }

        if (!fromDevelopment)
        {
            throw new UsageException("CSP_DISCOVERY_URL is not set. Set it in the environment or in a .env file (see .env.example), or try the tool offline with 'agent-passport login --mock' (development only).");
        }

        string jwks = DevelopmentProviderStore.LoadJwks()
            ?? throw new CliFailure($"issuance failed: the ID token comes from the development provider, but its keys are not in {DevelopmentProviderStore.FilePath}; run 'agent-passport login --mock' again.");
        var development = new DevelopmentValidator(jwks, env);
        return (development.Validator, development);
    }
}
