using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary>
/// <c>login</c>: the authorization-code + PKCE loopback flow, or a pasted ID token. Either way the ID token is
/// validated against the CSP before it is stored (0600).
/// </summary>
internal static class LoginCommand
{
    public static Command Create(CliEnvironment env)
    {
        var idToken = CliOptions.OptionalText("--id-token", "Store this ID token ('-' reads stdin) instead of logging in through the browser.");
        var noBrowser = new Option<bool>("--no-browser") { Description = "Print the authorization URL instead of opening a browser." };
        var acrValues = CliOptions.OptionalText("--acr-values", "Request these acr values (space-separated) from the CSP; overrides CSP_ACR_VALUES.");
        var mock = new Option<bool>("--mock") { Description = "DEVELOPMENT ONLY: sign in at a built-in mock provider, offline, no CSP_* needed." };
        var mockSubject = CliOptions.OptionalText("--sub", $"With --mock: the subject to sign in as (default {DevelopmentProvider.DefaultSubject}).");
        var mockAcr = CliOptions.OptionalText("--acr", "With --mock: the acr of the ID token (default IAL2).");
        var command = new Command("login", "Log in at the CSP (OpenID provider) and store the validated ID token.") { idToken, noBrowser, acrValues, mock, mockSubject, mockAcr };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(mock))
            {
                if (parse.GetValue(idToken) is not null)
                {
                    throw new UsageException("--mock signs in at the development provider; it cannot be combined with --id-token.");
                }

                return await MockLogin.RunAsync(env, parse.GetValue(mockSubject), parse.GetValue(mockAcr), ct).ConfigureAwait(false);
            }

            if (parse.GetValue(mockSubject) is not null || parse.GetValue(mockAcr) is not null)
            {
                throw new UsageException("--sub and --acr only apply with --mock.");
            }

            using var csp = CspClient.Create(env);
            string? given = parse.GetValue(idToken);
            try
            {
                string token;
                IdentityAssertion identity;
                if (given is not null)
                {
                    token = TokenInput.Read(given);
                    identity = await csp.Validator.ValidateAsync(token, ct).ConfigureAwait(false);
                }
                else
                {
                    var login = await csp.LoginAsync(parse.GetValue(noBrowser), parse.GetValue(acrValues), ct).ConfigureAwait(false);
                    (token, identity) = (login.IdToken, login.Identity);
                }

                string path = IdTokenStore.Save(token);
                string levels = identity.Levels is { } l ? $", IAL={l.Ial} AAL={l.Aal} FAL={l.Fal}" : string.Empty;
                Console.Out.WriteLine($"ID token stored at {path}");
                Console.Out.WriteLine($"subject: {identity.Subject} (issuer {identity.Issuer}{levels})");
                if (identity.Acr is null)
                {
                    // Certified providers send acr only when asked: say so now rather than at the first IAL floor.
                    Console.Error.WriteLine("note: the ID token has no acr, so Passports issued from it carry no assurance levels (request one with --acr-values or CSP_ACR_VALUES).");
                }
                return ExitCodes.Success;
            }
            catch (AgentPassportException ex)
            {
                throw new CliFailure("login failed: " + ErrorText.Describe(ex.Error));
            }
        });
        return command;
    }
}
