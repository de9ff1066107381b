using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary><c>keys jwks</c>, <c>keys rotate</c> and <c>keys remove</c>: the local issuer's public keys, rotation and revoking a key; <c>keys holder-new</c>: a holder key.</summary>
internal static class KeysCommand
{
    /// <summary><c>keys holder-new --out FILE</c>: a new holder key, its private JWK written owner-only; prints its thumbprint.</summary>
    private static Command HolderNew()
    {
        var output = CliOptions.RequiredText("--out", "The file to write the private JWK to (created 0600; never overwritten).");
        var algorithm = CliOptions.Choice("--alg", "The key's algorithm (default ES256)", PassportAlgorithms.ES256, PassportAlgorithms.RS256, PassportAlgorithms.PS256);
        var command = new Command("holder-new", "Make a holder key for binding Passports (issue/delegate --holder-jwk) and signing proofs (prove --key); prints its thumbprint (jkt).")
        {
            output, algorithm,
        };
        command.SetAction(parse =>
        {
            using var key = PassportHolderKey.Generate(parse.GetValue(algorithm) ?? PassportAlgorithms.ES256);
            HolderKeyFiles.WriteNew(parse.GetValue(output)!, key);
            Console.Out.WriteLine(key.Thumbprint);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Create()
    {
        var jwks = new Command("jwks", "Print the local issuer's public keys as a JWKS (give it to verifiers: verify --jwks FILE).");
        jwks.SetAction(_ =>
        {
            using var keys = LocalIssuer.OpenOrCreateKeys();
            Console.Out.WriteLine(keys.ExportJwks());
            return ExitCodes.Success;
        });

        var now = new Option<bool>("--now") { Description = "Sign with the new key at once (after a key compromise); verifiers that cached the JWKS refuse its Passports until they refresh." };
        var rotate = new Command("rotate", "Publish a new signing key now; it signs once every verifier has seen it (publish-then-activate). Previous public keys stay trusted for verification.") { now };
        rotate.SetAction(parse =>
        {
            using var keys = LocalIssuer.OpenOrCreateKeys();
            try
            {
                if (parse.GetValue(now))
                {
                    var current = keys.Rotate();
                    Console.Out.WriteLine($"rotated: new signing key {current.KeyId} ({current.Algorithm}) signs now; {keys.VerificationKeys.Count} public keys trusted for verification");
                    return ExitCodes.Success;
                }

                // Spec v1.1 §15: published at least one verifier refresh interval (plus the JWKS max-age) before it signs.
                var schedule = new PassportKeyRotationSchedule();
                var next = schedule.Rotate(keys);
                Console.Out.WriteLine($"scheduled: new signing key {next.KeyId} ({next.Algorithm}) is published now and signs from {keys.PendingActivation:O} (in {schedule.ActivationDelay.TotalSeconds:0} s); {keys.VerificationKeys.Count} public keys trusted for verification");
                return ExitCodes.Success;
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("A key rotation is already pending", StringComparison.Ordinal))
            {
                throw new CliFailure(ex.Message);
            }
        });

        var kid = new Argument<string>("KID") { Description = "The kid of the key to stop trusting (see keys jwks)." };
        var remove = new Command("remove", "Stop trusting a retired public key (e.g. a compromised one): Passports it signed no longer verify.") { kid };
        remove.SetAction(parse =>
        {
            using var keys = LocalIssuer.OpenExistingKeys()
                ?? throw new UsageException($"No local issuer keys in {DataDirectory.KeysPath}.");
            string keyId = parse.GetValue(kid)!;
            try
            {
                if (!keys.Remove(keyId))
                {
                    throw new CliFailure($"no trusted key has kid {keyId}");
                }
            }
            catch (InvalidOperationException ex)
            {
                throw new CliFailure(ex.Message);
            }

            Console.Out.WriteLine($"removed: {keyId}; {keys.VerificationKeys.Count} public keys trusted for verification");
            return ExitCodes.Success;
        });

        return new Command("keys", "Manage the local issuer's signing keys, and holder keys.") { jwks, rotate, remove, HolderNew() };
    }
}
