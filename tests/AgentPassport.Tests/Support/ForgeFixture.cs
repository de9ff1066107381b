using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Support;

/// <summary>A trusted ES256 key, a verifier trusting only it, and a clock fixed at <see cref="TokenForge.Now"/>: for forged-token tests.</summary>
internal sealed class ForgeFixture : IDisposable
{
    public ForgeFixture()
    {
        Verifier = new PassportVerifier(new JwksPassportKeyResolver([Key.PublicKey]), Time);
    }

    public PassportSigningKey Key { get; } = PassportSigningKey.Generate();

    public FakeTimeProvider Time { get; } = new(TokenForge.Now);

    public PassportVerifier Verifier { get; }

    public static VerificationPolicy Policy => new(TokenForge.Issuer, TokenForge.Audience);

    /// <summary>Verifies the last token as the leaf and the others as its chain (root first).</summary>
    public PassportValidationResult Validate(string[] tokens, VerificationPolicy? policy = null) =>
        Verifier.ValidateAsync(tokens[^1], policy ?? Policy, tokens[..^1]).AsTask().GetAwaiter().GetResult();

    public PassportValidationResult Validate(string leaf, IReadOnlyList<string> chain, VerificationPolicy? policy = null) =>
        Verifier.ValidateAsync(leaf, policy ?? Policy, chain).AsTask().GetAwaiter().GetResult();

    public void Dispose() => Key.Dispose();
}
