using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary>
/// <c>verify</c>: one <see cref="PassportVerifier.ValidateAsync"/> call. Trusts the local issuer's keys, or only the
/// keys of <c>--jwks</c>; the trusted issuers are the <c>--issuer</c> values, else <c>AGENT_PASSPORT_ISSUER</c>.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliEnvironment env)
    {
        var token = CliOptions.Token("TOKEN", "The Passport to verify.");
        var aud = CliOptions.RequiredText("--aud", "This verifier's audience; the Passport's aud must equal it exactly.");
        var ial = CliOptions.Level("--require-ial", "identity assurance level");
        var aal = CliOptions.Level("--require-aal", "authenticator assurance level");
        var fal = CliOptions.Level("--require-fal", "federation assurance level");
        var scope = CliOptions.OptionalText("--required-scope", "A concrete scope the Passport must cover (e.g. flights:book).");
        var issuers = CliOptions.Many("--issuer", "The trusted issuer URL, whose keys are the local ones or --jwks (default AGENT_PASSPORT_ISSUER).", "URL");
        var chain = CliOptions.Many("--chain", "A file with parent Passports, root first (repeatable).", "FILE");
        var jwks = CliOptions.OptionalText("--jwks", "Trust only the keys of this JWKS file or http(s) URL instead of the local issuer's.");
        var wildcard = new Option<bool>("--allow-wildcard") { Description = "Accept a Passport carrying the '*' scope." };
        var algs = CliOptions.Many("--allow-alg", "An accepted JWS algorithm (repeatable; default ES256).", "ALG");
        var proof = CliOptions.OptionalText("--proof", "The proof of possession sent with a holder-bound Passport (from 'prove'); needs --op.");
        var op = CliOptions.OptionalText("--op", "Check a call: the tool's required scope, which some capability must cover (with --args, its constraints too) and a proof must name.");
        var args = CliOptions.OptionalText("--args", "The call's arguments as a JSON object, checked against the constraints of the capabilities covering --op (a proof's args must hash to them).");
        var proofAlgs = CliOptions.Many("--allow-proof-alg", "An accepted algorithm of holder proofs (repeatable; default ES256; RS256, PS256).", "ALG");
        var requireBinding = new Option<bool>("--require-holder-binding") { Description = "Refuse a Passport that is not holder-bound, or presented without a valid proof." };

        var command = new Command("verify", "Verify a Passport (and its chain) against a policy; print the verified claims.")
        {
            token, aud, ial, aal, fal, scope, issuers, chain, jwks, wildcard, algs, proof, op, args, requireBinding, proofAlgs,
        };
        command.SetAction(async (parse, ct) =>
        {
            var policy = BuildPolicy(env, parse.GetValue(aud)!, parse.GetValue(issuers), parse.GetValue(algs), parse.GetValue(scope),
                parse.GetValue(ial), parse.GetValue(aal), parse.GetValue(fal), parse.GetValue(wildcard), parse.GetValue(requireBinding), parse.GetValue(proofAlgs));
            var call = VerifyCall.Read(parse.GetValue(op), parse.GetValue(args));
            var arguments = ToolArgumentsInput.Parse(parse.GetValue(args));
            var parents = ChainFiles.Read(parse.GetValue(chain));
            string? jwksSource = parse.GetValue(jwks);
            IPassportKeyResolver resolver = jwksSource is not null
                ? await JwksSource.OpenAsync(jwksSource, ct).ConfigureAwait(false)
                : LocalIssuer.OpenExistingKeys()
                    ?? throw new UsageException($"No local issuer keys in {DataDirectory.KeysPath}; pass --jwks FILE_OR_URL to trust another issuer's keys.");

            using (resolver as IDisposable)
            {
                string passport = TokenInput.Read(parse.GetValue(token));
                var revocations = await CliRevocations.OpenAsync(env, ct).ConfigureAwait(false);
                await using var disposeRevocations = revocations.ConfigureAwait(false);
                var result = await new PassportVerifier(resolver) { Revocations = revocations.Store }.ValidateAsync(passport, policy, parents, ct).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    throw new CliFailure("verification failed: " + ErrorText.Describe(result.Error));
                }

                VerifyCall.Check(result.Passport, call);
                await VerifyProof.CheckAsync(policy, result.Passport, parse.GetValue(proof)?.Trim(), parse.GetValue(op)?.Trim(), arguments, ct).ConfigureAwait(false);
                Console.Out.WriteLine("verified");
                Console.Out.WriteLine(ClaimsJson.Write(result.Passport));
                return ExitCodes.Success;
            }
        });
        return command;
    }

    private static VerificationPolicy BuildPolicy(
        CliEnvironment env, string audience, string[]? issuers, string[]? algorithms, string? requiredScope,
        int ial, int aal, int fal, bool allowWildcard, bool requireHolderBinding, string[]? proofAlgorithms)
    {
        // One key set (local keys or --jwks) is one issuer's: trusting several issuers with it would let each sign for the others.
        if (issuers is { Length: > 1 })
        {
            throw new UsageException("--issuer can be given once: the keys (local or --jwks) are one issuer's keys.");
        }

        try
        {
            return new VerificationPolicy(issuers is { Length: > 0 } ? issuers : [env.IssuerUrl], audience.Trim())
            {
                RequireIal = ial,
                RequireAal = aal,
                RequireFal = fal,
                RequiredScope = requiredScope,
                AllowWildcardScope = allowWildcard,
                RequireHolderBinding = requireHolderBinding,
                AllowedProofAlgorithms = proofAlgorithms is { Length: > 0 } ? new HashSet<string>(proofAlgorithms, StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal) { PassportAlgorithms.ES256 },
                AllowedAlgorithms = algorithms is { Length: > 0 } ? new HashSet<string>(algorithms, StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal) { PassportAlgorithms.ES256 },
            };
        }
        catch (ArgumentException ex)
        {
            string message = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new UsageException($"Invalid verification policy: {message}");
        }
    }
}
