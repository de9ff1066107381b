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
        var command = new Command("login", "Log in at the CSP (OpenID provider) and store the validated ID token.") { idToken, noBrowser };
        command.SetAction(async (parse, ct) =>
        {
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
                    var login = await csp.LoginAsync(parse.GetValue(noBrowser), ct).ConfigureAwait(false);
                    (token, identity) = (login.IdToken, login.Identity);
                }

                string path = IdTokenStore.Save(token);
                string levels = identity.Levels is { } l ? $", IAL={l.Ial} AAL={l.Aal} FAL={l.Fal}" : string.Empty;
                Console.Out.WriteLine($"ID token stored at {path}");
                Console.Out.WriteLine($"subject: {identity.Subject} (issuer {identity.Issuer}{levels})");
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
