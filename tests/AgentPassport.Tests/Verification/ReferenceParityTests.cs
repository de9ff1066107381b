using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Verification;

/// <summary>
/// Reference §4: the reference project's tests match these message fragments. Callers must branch on
/// <see cref="PassportErrorKind"/> and <see cref="ChainBrokenReason"/>, never on text, but keeping the fragments makes
/// messages familiar to users of the reference and keeps its test expectations portable.
/// </summary>
public sealed class ReferenceParityTests : IDisposable
{
    private readonly ForgeFixture _f = new();

    [Fact]
    public void ChainMessages_CarryTheReferenceFragments()
    {
        var t = ForgedChain.AliceBobCarol().Sign(_f.Key);

        Assert.Contains("no parent chain", _f.Validate(t[2], []).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("root token", _f.Validate(t[0], [t[0]]).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("parent_jti mismatch", Tampered(2, c => c[PassportClaimNames.ParentJti] = "x"), StringComparison.Ordinal);
        Assert.Contains("scope attenuation", Tampered(2, c => c[PassportClaimNames.ToolScope] = TokenForge.ScopeArray(["hotels:book"])), StringComparison.Ordinal);
        Assert.Contains("IAL increased", Tampered(2, c => c["ial"] = 3), StringComparison.Ordinal);
        Assert.Contains("IAL appeared in chain", Tampered(1, c => c.Remove("ial")), StringComparison.Ordinal);
        Assert.Contains("root has parent_jti", Tampered(0, c =>
        {
            c[PassportClaimNames.ParentJti] = "x";
            c[PassportClaimNames.ParentHash] = PassportReader.ComputeParentHash("x");
        }), StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyMessages_CarryTheReferenceFragments()
    {
        const string Iss = "https://i", Aud = "https://a/";
        Assert.Contains("clock_skew", Assert.ThrowsAny<ArgumentException>(() => new VerificationPolicy(Iss, Aud) { ClockSkew = TimeSpan.FromMinutes(5) }).Message, StringComparison.Ordinal);
        Assert.Contains("none", Assert.Throws<ArgumentException>(() => new VerificationPolicy(Iss, Aud) { AllowedAlgorithms = new HashSet<string> { "none" } }).Message, StringComparison.Ordinal);
        Assert.Contains("issuers", Assert.Throws<ArgumentException>(() => new VerificationPolicy(Array.Empty<string>(), Aud)).Message, StringComparison.Ordinal);
        Assert.Contains("must not be empty", Assert.Throws<ArgumentException>(() => new VerificationPolicy(Array.Empty<string>(), Aud)).Message, StringComparison.Ordinal);
        Assert.Contains("require_ial", Assert.ThrowsAny<ArgumentException>(() => new VerificationPolicy(Iss, Aud) { RequireIal = 4 }).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyAndHeaderMessages_CarryTheReferenceFragments()
    {
        var header = TokenForge.HeaderFor(_f.Key);
        header.Remove("kid");
        var noKid = await _f.Verifier.ValidateAsync(TokenForge.Sign(TokenForge.RootClaims(), _f.Key, header), ForgeFixture.Policy);
        using var other = PassportSigningKey.Generate();
        var unknown = await _f.Verifier.ValidateAsync(TokenForge.Sign(TokenForge.RootClaims(), other), ForgeFixture.Policy);

        Assert.Contains("missing 'kid'", noKid.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("kid=", unknown.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("not a valid JWKS", Assert.Throws<FormatException>(() => Jwks.Import("{}")).Message, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _f.Dispose();

    private string Tampered(int index, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        var tokens = ForgedChain.AliceBobCarol().Sign(_f.Key, (i, c) =>
        {
            if (i == index)
            {
                change(c);
            }
        });
        return _f.Validate(tokens).Error!.Message;
    }
}
