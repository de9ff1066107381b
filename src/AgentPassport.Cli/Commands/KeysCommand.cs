using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary><c>keys jwks</c> and <c>keys rotate</c>: the local issuer's public keys and key rotation.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var jwks = new Command("jwks", "Print the local issuer's public keys as a JWKS (give it to verifiers: verify --jwks FILE).");
        jwks.SetAction(_ =>
        {
            using var keys = LocalIssuer.OpenOrCreateKeys();
            Console.Out.WriteLine(keys.ExportJwks());
            return ExitCodes.Success;
        });

        var rotate = new Command("rotate", "Make a new signing key current; previous public keys stay trusted for verification.");
        rotate.SetAction(_ =>
        {
            using var keys = LocalIssuer.OpenOrCreateKeys();
            var next = keys.Rotate();
            Console.Out.WriteLine($"rotated: new signing key {next.KeyId} ({next.Algorithm}); {keys.VerificationKeys.Count} public keys trusted for verification");
            return ExitCodes.Success;
        });

        return new Command("keys", "Manage the local issuer's signing keys.") { jwks, rotate };
    }
}
