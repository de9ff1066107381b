using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Verification;

/// <summary>What people read: instants as ISO 8601 with <c>Z</c>, lists JSON-style, and descriptions that never hold a token.</summary>
public sealed class HumanReadableTextTests : IDisposable
{
    private const string Issuer = "https://issuer.example.com";
    private static readonly DateTimeOffset Noon = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryPassportKeyStore _keys = new();
    private readonly FakeTimeProvider _time = new(Noon);
    private readonly PassportIssuer _issuer;

    public HumanReadableTextTests() =>
        _issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = Issuer, KeyStore = _keys, TimeProvider = _time });

    [Fact]
    public async Task ExpiredMessage_WritesInstantsWithZ_NotPlusZeroZero()
    {
        var root = Root();
        _time.Advance(TimeSpan.FromHours(1));

        var result = await new PassportVerifier(_keys, _time).ValidateAsync(root.Token, new VerificationPolicy(Issuer, "https://a.example/"));

        Assert.Equal(PassportErrorKind.Expired, result.Error?.Kind);
        Assert.Equal("expired at 2026-06-01T12:05:00Z (now 2026-06-01T13:00:00Z)", result.Error!.Message);
    }

    [Fact]
    public async Task NotYetValidMessage_WritesInstantsWithZ()
    {
        var root = Root();
        var earlier = new FakeTimeProvider(Noon.AddMinutes(-10));

        var result = await new PassportVerifier(_keys, earlier).ValidateAsync(root.Token, new VerificationPolicy(Issuer, "https://a.example/"));

        Assert.Equal(PassportErrorKind.NotYetValid, result.Error?.Kind);
        Assert.DoesNotContain("+00:00", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("2026-06-01T12:00:00Z", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopeAttenuationMessage_ListsTheParentsScopesJsonStyle()
    {
        var root = Root();
        var verified = await new PassportVerifier(_keys, _time).VerifyAsync(root.Token, new VerificationPolicy(Issuer, "https://a.example/"));

        var ex = Assert.Throws<AgentPassportException>(() => _issuer.Delegate(verified, new DelegationRequest
        {
            AgentId = "agent:mallory", AgentModel = "m", Audience = "https://x.example/", ToolScope = ["email:send"],
        }));

        Assert.Equal(PassportErrorKind.ScopeAttenuation, ex.Kind);
        Assert.Equal("'email:send' is not covered by the parent's scopes [\"flights:*\", \"hotels:book\"]", ex.Error.Message);
    }

    [Fact]
    public void Passport_ToString_DescribesHolderPrincipalScopesAndExpiry_WithoutTheToken()
    {
        var root = Root();

        string text = root.Passport.ToString();

        Assert.Equal(
            $"Passport agent:alice (model-a) for alice@example.gov IAL=2 AAL=2 FAL=2, tool_scope [\"flights:*\", \"hotels:book\"], aud https://a.example/, exp 2026-06-01T12:05:00Z, depth 0, jti {root.Passport.TokenId}",
            text);
        Assert.DoesNotContain(root.Token.Split('.')[1], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifiedPassport_ToString_IsThePassportAndItsVerifiedParents_NotTheTypeNameOrTheToken()
    {
        var root = Root();
        var verifier = new PassportVerifier(_keys, _time);
        var verifiedRoot = await verifier.VerifyAsync(root.Token, new VerificationPolicy(Issuer, "https://a.example/"));
        var child = _issuer.Delegate(verifiedRoot, new DelegationRequest { AgentId = "agent:bob", AgentModel = "model-b", Audience = "https://b.example/", ToolScope = ["flights:book"] });
        var verifiedChild = await verifier.VerifyAsync(child.Token, new VerificationPolicy(Issuer, "https://b.example/"), [root.Token]);

        string text = verifiedChild.ToString();

        Assert.StartsWith("verified Passport agent:bob (model-b) for alice@example.gov", text, StringComparison.Ordinal);
        Assert.EndsWith(", depth 1, jti " + child.Passport.TokenId + ", with 1 verified parent", text, StringComparison.Ordinal);
        Assert.DoesNotContain(child.Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(root.Token, text, StringComparison.Ordinal);
    }

    public void Dispose() => _keys.Dispose();

    private IssuedPassport Root() => _issuer.Issue(new RootPassportRequest
    {
        Identity = new IdentityAssertion("https://csp.example.com", "alice@example.gov", IalAcrMapping.IalPrefix + "2", new AssuranceLevels(2, 2, 2)),
        AgentId = "agent:alice",
        AgentModel = "model-a",
        Audience = "https://a.example/",
        ToolScope = ["flights:*", "hotels:book"],
        Ttl = TimeSpan.FromMinutes(5),
    });
}
