using System.Buffers.Text;
using System.Security.Cryptography;

namespace AgentPassport.Cli;

/// <summary>
/// <c>login --mock</c>: signs in at the built-in development provider, validates the ID token with the library's real
/// validator (nonce included) and stores it where a real login does, with the provider's public keys beside it.
/// </summary>
internal static class MockLogin
{
    public static async Task<int> RunAsync(CliEnvironment env, string? subject, string? acr, CancellationToken ct)
    {
        if (env.GetNonEmpty("CSP_DISCOVERY_URL") is not null)
        {
            throw new UsageException("login --mock is for trying the tool without a provider, but CSP_DISCOVERY_URL is set: unset it (environment or .env), or run 'agent-passport login'.");
        }

        subject = string.IsNullOrWhiteSpace(subject) ? DevelopmentProvider.DefaultSubject : subject.Trim();
        acr = string.IsNullOrWhiteSpace(acr) ? DevelopmentProvider.DefaultAcr : acr.Trim();
        string nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var (idToken, jwks) = DevelopmentProvider.SignIn(subject, acr, nonce, TimeProvider.System);

        IdentityAssertion identity;
        using (var development = new DevelopmentValidator(jwks, env))
        {
            try
            {
                identity = await development.Validator.ValidateAsync(idToken, nonce, ct).ConfigureAwait(false);
            }
            catch (AgentPassportException ex)
            {
                throw new CliFailure("login failed: " + ErrorText.Describe(ex.Error));
            }
        }

        await Console.Error.WriteLineAsync($"DEVELOPMENT ONLY: signed in at the built-in mock provider {DevelopmentProvider.Issuer}; nobody's identity was checked.").ConfigureAwait(false);
        string path = IdTokenStore.Save(idToken);
        DevelopmentProviderStore.Save(jwks);
        string levels = identity.Levels is { } l ? $", IAL={l.Ial} AAL={l.Aal} FAL={l.Fal}" : string.Empty;
        Console.Out.WriteLine($"ID token stored at {path}");
        Console.Out.WriteLine($"subject: {identity.Subject} (issuer {identity.Issuer}{levels})");
        return ExitCodes.Success;
    }
}
