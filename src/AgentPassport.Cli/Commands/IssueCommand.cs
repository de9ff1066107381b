using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary>
/// <c>issue</c>: validates the ID token (given, or stored by <c>login</c>) against the CSP, then one
/// <see cref="PassportIssuer.Issue"/> call signed with the local issuer's key.
/// </summary>
internal static class IssueCommand
{
    public static Command Create(CliEnvironment env)
    {
        var agentId = CliOptions.RequiredText("--agent-id", "The agent that will hold the Passport.");
        var agentModel = CliOptions.RequiredText("--agent-model", "The agent's model (audit only).");
        var aud = CliOptions.RequiredText("--aud", "The Passport's audience (the service it is presented to).");
        var scopes = CliOptions.Many("--tool-scope", "A granted scope, e.g. flights:book or flights:* (repeatable).", "SCOPE");
        var purpose = CliOptions.OptionalText("--task-purpose", "The task purpose (audit only).");
        var constraints = ConstraintInput.JsonOption();
        var constrain = ConstraintInput.CompactOption();
        var ttl = CliOptions.Ttl(900);
        var idToken = CliOptions.OptionalText("--id-token", "The ID token to issue from ('-' reads stdin); default: the one stored by login.");
        var holderJwk = CliOptions.OptionalText("--holder-jwk", "Bind the Passport to this holder key (a JWK file, private or public; see 'keys holder-new').");

        var auditLog = CliOptions.OptionalText("--audit-log", "Append the mint event to this SQLite audit log (signed by the key of 'audit jwks').");
        var command = new Command("issue", "Mint a root Passport for an agent from your validated ID token.")
        {
            agentId, agentModel, aud, scopes, purpose, constraints, constrain, ttl, idToken, holderJwk, auditLog,
        };
        command.SetAction(async (parse, ct) =>
        {
            var requested = ConstraintInput.Read(parse.GetValue(constraints), parse.GetValue(constrain));
            string? holder = parse.GetValue(holderJwk) is { } holderPath ? HolderKeyFiles.ReadThumbprint(holderPath, "--holder-jwk") : null;
            string? given = parse.GetValue(idToken);
            string token = given is not null
                ? TokenInput.Read(given)
                : IdTokenStore.Load() ?? throw new UsageException($"No stored ID token in {DataDirectory.IdTokenPath}; run 'agent-passport login' (or 'login --mock' offline) or pass --id-token.");

            var (validator, owner) = IdTokenTrust.Open(env, token);
            using var trust = owner;
            IdentityAssertion identity;
            try
            {
                identity = await validator.ValidateAsync(token, ct).ConfigureAwait(false);
            }
            catch (AgentPassportException ex)
            {
                throw new CliFailure("issuance failed: " + ErrorText.Describe(ex.Error));
            }

            using var keys = LocalIssuer.OpenOrCreateKeys();
            try
            {
                var issued = LocalIssuer.Create(env, keys).Issue(new RootPassportRequest
                {
                    Identity = identity,
                    AgentId = parse.GetValue(agentId)!.Trim(),
                    AgentModel = parse.GetValue(agentModel)!.Trim(),
                    Audience = parse.GetValue(aud)!.Trim(),
                    ToolScope = parse.GetValue(scopes) ?? [],
                    TaskPurpose = parse.GetValue(purpose),
                    Constraints = requested,
                    Ttl = TimeSpan.FromSeconds(parse.GetValue(ttl)),
                    HolderThumbprint = holder,
                });
                if (parse.GetValue(auditLog) is { } auditPath)
                {
                    await CliAuditLog.AppendAsync(auditPath, PassportAuditEvents.Minted(issued.Passport, TimeProvider.System.GetUtcNow()), ct).ConfigureAwait(false);
                }

                Console.Out.WriteLine(issued.Token);
                return ExitCodes.Success;
            }
            catch (AgentPassportException ex)
            {
                throw new CliFailure("issuance refused: " + ErrorText.Describe(ex.Error));
            }
        });
        return command;
    }
}
