using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary>
/// <c>delegate</c>: verifies the parent with its chain against the local issuer's keys
/// (<see cref="PassportVerifier.ValidateDelegationParentAsync"/>), then one <see cref="PassportIssuer.Delegate"/> call. Works from a parent at any depth; needs no OpenID provider.
/// </summary>
internal static class DelegateCommand
{
    public static Command Create(CliEnvironment env)
    {
        var parent = CliOptions.Token("PARENT", "The parent Passport.");
        var agentId = CliOptions.RequiredText("--agent-id", "The sub-agent that will hold the child Passport.");
        var agentModel = CliOptions.RequiredText("--agent-model", "The sub-agent's model (audit only).");
        var aud = CliOptions.RequiredText("--aud", "The child's audience.");
        var scopes = CliOptions.Many("--tool-scope", "A scope for the child; must be covered by the parent's (repeatable).", "SCOPE");
        var purpose = CliOptions.OptionalText("--task-purpose", "The task purpose (audit only).");
        var constraints = ConstraintInput.JsonOption();
        var constrain = ConstraintInput.CompactOption();
        var ttl = CliOptions.Ttl(300);
        var chain = CliOptions.Many("--chain", "A file with the parent's own parents, root first (repeatable).", "FILE");
        var wildcard = new Option<bool>("--allow-wildcard") { Description = "Accept a parent carrying the '*' scope (refused by default)." };
        var holderJwk = CliOptions.OptionalText("--holder-jwk", "Bind the child to the sub-agent's holder key (a JWK file, private or public); required when the parent is bound.");
        var proofKey = CliOptions.OptionalText("--proof-key", "The parent holder's private JWK file: proves possession of a bound parent (a 'delegate' proof to the issuer).");

        var auditLog = CliOptions.OptionalText("--audit-log", "Append the mint event to this SQLite audit log (signed by the key of 'audit jwks').");
        var command = new Command("delegate", "Mint a narrower child Passport from a parent issued here.")
        {
            parent, agentId, agentModel, aud, scopes, purpose, constraints, constrain, ttl, chain, wildcard, holderJwk, proofKey, auditLog,
        };
        command.SetAction(async (parse, ct) =>
        {
            var requested = ConstraintInput.Read(parse.GetValue(constraints), parse.GetValue(constrain));
            var parents = ChainFiles.Read(parse.GetValue(chain));
            string? holder = parse.GetValue(holderJwk) is { } holderPath ? HolderKeyFiles.ReadThumbprint(holderPath, "--holder-jwk") : null;
            using var parentKey = parse.GetValue(proofKey) is { } keyPath ? HolderKeyFiles.ReadPrivate(keyPath, "--proof-key") : null;
            string parentToken = TokenInput.Read(parse.GetValue(parent));
            using var keys = LocalIssuer.OpenExistingKeys()
                ?? throw new CliFailure($"could not verify parent token: no local issuer keys in {DataDirectory.KeysPath}; the parent was not issued here.");
            var verified = await VerifyParentAsync(env, keys, parentToken, parents, parse.GetValue(wildcard), ct).ConfigureAwait(false);
            try
            {
                // The proof names this issuer and the parent token: usable for this delegation only, within the proof window.
                string? parentProof = parentKey is null ? null : PassportProof.Create(parentKey, env.IssuerUrl, parentToken, PassportProof.DelegateOperation);
                var child = await LocalIssuer.Create(env, keys).DelegateAsync(verified, new DelegationRequest
                {
                    AgentId = parse.GetValue(agentId)!.Trim(),
                    AgentModel = parse.GetValue(agentModel)!.Trim(),
                    Audience = parse.GetValue(aud)!.Trim(),
                    ToolScope = parse.GetValue(scopes) ?? [],
                    TaskPurpose = parse.GetValue(purpose),
                    Constraints = requested,
                    Ttl = TimeSpan.FromSeconds(parse.GetValue(ttl)),
                    HolderThumbprint = holder,
                    ParentProof = parentProof,
                }, ct).ConfigureAwait(false);
                if (parse.GetValue(auditLog) is { } auditPath)
                {
                    await CliAuditLog.AppendAsync(auditPath, PassportAuditEvents.Minted(child.Passport, TimeProvider.System.GetUtcNow()), ct).ConfigureAwait(false);
                }

                Console.Out.WriteLine(child.Token);
                return ExitCodes.Success;
            }
            catch (AgentPassportException ex)
            {
                throw new CliFailure("delegation refused: " + ErrorText.Describe(ex.Error));
            }
        });
        return command;
    }

    private static async Task<VerifiedPassport> VerifyParentAsync(CliEnvironment env, IPassportKeyResolver keys, string token, IReadOnlyList<string> chain, bool allowWildcard, CancellationToken ct)
    {
        // The parent is verified as the core delegator verifies it (PassportVerifier.ValidateDelegationParentAsync): signature,
        // issuer, lifetime, chain, and a '*' parent only with --allow-wildcard. Its audience is its own (the issuer is not its audience).
        string audience;
        try
        {
            audience = PassportReader.DecodeUnverified(token).Audience;
        }
        catch (AgentPassportException ex)
        {
            throw new CliFailure("could not verify parent token: " + ErrorText.Describe(ex.Error));
        }

        var policy = new VerificationPolicy(env.IssuerUrl, audience) { AllowWildcardScope = allowWildcard, AllowedAlgorithms = LocalIssuer.KeyAlgorithms };
        var revocations = await CliRevocations.OpenAsync(env, ct).ConfigureAwait(false);
        await using var disposeRevocations = revocations.ConfigureAwait(false);
        var result = await new PassportVerifier(keys) { Revocations = revocations.Store }.ValidateDelegationParentAsync(token, policy, chain, ct).ConfigureAwait(false);
        return result.Succeeded ? result.Passport : throw new CliFailure("could not verify parent token: " + ErrorText.Describe(result.Error));
    }
}
