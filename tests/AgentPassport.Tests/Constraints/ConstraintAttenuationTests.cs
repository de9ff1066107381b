using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Constraints;

/// <summary>
/// The §13 subset lattice, in the one attenuation implementation: issuance refuses a widening child
/// (ScopeAttenuation naming scope, argument and constraint) and verification refuses a forged one (ChainBroken/ConstraintWidened).
/// </summary>
public sealed class ConstraintAttenuationTests
{
    /// <summary>(child constraint, parent constraint, covered) for every pair the spec names and their near misses.</summary>
    public static TheoryData<string, string, bool> Pairs => new()
    {
        { """{"eq":5}""", """{"eq":5}""", true },
        { """{"eq":5}""", """{"eq":5.0}""", true },
        { """{"eq":5}""", """{"eq":6}""", false },
        { """{"eq":"5"}""", """{"eq":5}""", false },
        { """{"in":[5]}""", """{"eq":5}""", false }, // not a pair the spec lists: refused (doubt denies)
        { """{"eq":"JFK"}""", """{"in":["JFK","LGA"]}""", true },
        { """{"eq":"EWR"}""", """{"in":["JFK","LGA"]}""", false },
        { """{"in":["LGA"]}""", """{"in":["JFK","LGA"]}""", true },
        { """{"in":["JFK","EWR"]}""", """{"in":["JFK","LGA"]}""", false },
        { """{"eq":300}""", """{"max":500}""", true },
        { """{"eq":501}""", """{"max":500}""", false },
        { """{"eq":"300"}""", """{"max":500}""", false },
        { """{"in":[1,500]}""", """{"min":1,"max":500}""", true },
        { """{"in":[0,500]}""", """{"min":1,"max":500}""", false },
        { """{"eq":"/tmp/a"}""", """{"prefix":"/tmp/"}""", true },
        { """{"in":["/tmp/a","/etc/x"]}""", """{"prefix":"/tmp/"}""", false },
        { """{"eq":"abc"}""", """{"maxLength":3}""", true },
        { """{"in":["abcd"]}""", """{"maxLength":3}""", false },
        { """{"eq":"AB123"}""", """{"regex":"[A-Z]{2}[0-9]{3}"}""", true },
        { """{"eq":"AB1234"}""", """{"regex":"[A-Z]{2}[0-9]{3}"}""", false },
        { """{"min":10,"max":400}""", """{"min":1,"max":500}""", true },
        { """{"max":400}""", """{"min":1,"max":500}""", false }, // drops the lower bound
        { """{"min":0,"max":400}""", """{"min":1,"max":500}""", false },
        { """{"min":1,"max":500.0000000000000000001}""", """{"min":1,"max":500}""", false },
        { """{"max":500}""", """{"max":500}""", true },
        { """{"min":2}""", """{"max":500}""", false },
        { """{"prefix":"/tmp/a/"}""", """{"prefix":"/tmp/"}""", true },
        { """{"prefix":"/tmp"}""", """{"prefix":"/tmp/"}""", false },
        { """{"maxLength":2}""", """{"maxLength":3}""", true },
        { """{"maxLength":3}""", """{"maxLength":3}""", true },
        { """{"maxLength":4}""", """{"maxLength":3}""", false },
        { """{"regex":"[A-Z]{3}"}""", """{"regex":"[A-Z]{3}"}""", true },
        { """{"regex":"[A-Z]{2}"}""", """{"regex":"[A-Z]{3}"}""", false }, // narrower in fact, but only identical patterns are comparable
        { """{"maxLength":3}""", """{"prefix":"a"}""", false },
        { """{"prefix":"a"}""", """{"regex":"a.*"}""", false },
        { """{"max":5}""", """{"eq":5}""", false },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void ConstraintNarrows_FollowsTheSpecLattice(string child, string parent, bool covered) =>
        Assert.Equal(covered, AttenuationRules.ConstraintNarrows(PassportConstraintCheckTests.Parse(child), PassportConstraintCheckTests.Parse(parent)));

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Delegate_MintsACoveredChild_RefusesAWideningOne(string child, string parent, bool covered)
    {
        using var f = new PassportTestContext();
        var bob = await RootAsync(f, """{"flights:book":{"amount":""" + parent + "}}");
        var request = Request(["flights:book"], """{"flights:book":{"amount":""" + child + "}}");

        if (covered)
        {
            var carol = f.Issuer.Delegate(await f.VerifyAsync(bob), request);
            Assert.True((await f.ValidateAsync(carol)).Succeeded);
            return;
        }

        var ex = Assert.Throws<AgentPassportException>(() => f.Issuer.Delegate(f.VerifyAsync(bob).Result, request));
        Assert.Equal(PassportErrorKind.ScopeAttenuation, ex.Kind);
        Assert.Equal("flights:book", ex.Error.Details.Scope);
        Assert.Equal("amount", ex.Error.Details.Argument);
        Assert.Equal(PassportConstraintCheckTests.Parse(parent).Name, ex.Error.Details.Constraint);
        Assert.Contains("'amount'", ex.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Verify_RefusesAForgedWidening_AsConstraintWidened(string child, string parent, bool covered)
    {
        // The issuer would never mint the widening child, so it is forged: signed directly with the issuer's key.
        using var f = new PassportTestContext();
        var tokens = Forge(f, parent, child);
        var result = await f.Verifier.ValidateAsync(tokens[1], PassportTestContext.Policy(TokenForge.Audience), [tokens[0]]);
        if (covered)
        {
            Assert.True(result.Succeeded, result.Succeeded ? null : result.Error.ToString());
            return;
        }

        Assert.False(result.Succeeded);
        Assert.Equal(PassportErrorKind.ChainBroken, result.Error.Kind);
        Assert.Equal(ChainBrokenReason.ConstraintWidened, result.Error.ChainReason);
        Assert.Equal("AP1518", result.Error.Code);
        Assert.Equal("amount", result.Error.Details.Argument);
        Assert.Equal("flights:book", result.Error.Details.Scope);
        Assert.Equal("jti-agent:bob", result.Error.Details.ChildTokenId);
    }

    [Fact]
    public async Task ChildDroppingTheParentsConstraint_IsRefused_AtIssuanceAndVerification()
    {
        using var f = new PassportTestContext();
        var bob = await RootAsync(f, """{"flights:book":{"amount":{"max":500}}}""");
        var ex = Assert.Throws<AgentPassportException>(() => f.Issuer.Delegate(f.VerifyAsync(bob).Result, Request(["flights:book"], null)));
        Assert.Equal(PassportErrorKind.ScopeAttenuation, ex.Kind);
        Assert.Equal("max", ex.Error.Details.Constraint);

        var tokens = Forge(f, """{"max":500}""", null);
        var result = await f.Verifier.ValidateAsync(tokens[1], PassportTestContext.Policy(TokenForge.Audience), [tokens[0]]);
        Assert.Equal(ChainBrokenReason.ConstraintWidened, result.Error!.ChainReason);
    }

    [Fact]
    public async Task ChildMayConstrainMoreArguments_AndNarrowAWildcardCapability()
    {
        using var f = new PassportTestContext();
        var bob = await RootAsync(f, """{"flights:*":{"amount":{"max":500}}}""", ["flights:*"]);
        var carol = f.Issuer.Delegate(await f.VerifyAsync(bob), Request(["flights:book"], """{"flights:book":{"amount":{"max":300},"dest":{"in":["JFK"]}}}"""));
        Assert.Equal("""{"flights:book":{"amount":{"max":300},"dest":{"in":["JFK"]}}}""", carol.Passport.Constraints.ToJson());
        Assert.True((await f.ValidateAsync(carol)).Succeeded);
    }

    [Fact]
    public async Task SomeParentCapability_Suffices()
    {
        // flights:* is constrained, flights:book is not: an unconstrained flights:book child is covered by the latter.
        using var f = new PassportTestContext();
        var bob = await RootAsync(f, """{"flights:*":{"amount":{"max":500}}}""", ["flights:*", "flights:book"]);
        var carol = f.Issuer.Delegate(await f.VerifyAsync(bob), Request(["flights:book"], null));
        Assert.True(carol.Passport.Constraints.IsEmpty);
        var ex = Assert.Throws<AgentPassportException>(() => f.Issuer.Delegate(f.VerifyAsync(bob).Result, Request(["flights:cancel"], null)));
        Assert.Equal("flights:cancel", ex.Error.Details.Scope);
    }

    [Fact]
    public async Task ConstraintKeyOutsideToolScope_IsRefusedAtIssuance()
    {
        using var f = new PassportTestContext();
        var ex = Assert.Throws<AgentPassportException>(() => f.Issuer.Issue(RootRequest("""{"flights:*":{"amount":{"max":500}}}""", ["flights:book"])));
        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
        Assert.Contains("flights:*", ex.Error.Message, StringComparison.Ordinal);

        var bob = await RootAsync(f, """{"flights:book":{"amount":{"max":500}}}""");
        ex = Assert.Throws<AgentPassportException>(() => f.Issuer.Delegate(f.VerifyAsync(bob).Result, Request(["flights:book"], """{"hotels:book":{"n":{"max":1}}}""")));
        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
    }

    [Fact]
    public async Task ConstraintKeyOutsideToolScope_InAToken_IsMalformedClaims()
    {
        using var f = new PassportTestContext();
        var claims = TokenForge.RootClaims(scopes: ["flights:book"]);
        claims[PassportClaimNames.Constraints] = JsonNode.Parse("""{"flights:*":{"amount":{"max":500}}}""");
        var result = await f.Verifier.ValidateAsync(TokenForge.Sign(claims, f.Keys.CurrentSigningKey), PassportTestContext.Policy(TokenForge.Audience));
        Assert.Equal(PassportErrorKind.MalformedClaims, result.Error!.Kind);
        Assert.Contains("not an entry of tool_scope", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"flights:book":{"amount":{"max":500,"max":600}}}""", "MalformedClaims")] // a duplicate member anywhere, found before the signature work
    [InlineData("""{"flights:book":{"amount":{"lt":5}}}""", "MalformedClaims")]
    [InlineData("""[]""", "MalformedClaims")]
    [InlineData("""{"flights:book":{"amount":{"in":[]}}}""", "MalformedClaims")]
    public async Task MalformedConstraintsInAToken_AreRefused(string constraintsJson, string expected)
    {
        using var f = new PassportTestContext();
        var claims = TokenForge.RootClaims(scopes: ["flights:book"]);
        string payload = TokenForge.ToJson(claims)[..^1] + ",\"" + PassportClaimNames.Constraints + "\":" + constraintsJson + "}";
        var token = TokenForge.Sign(TokenForge.ToJson(TokenForge.HeaderFor(f.Keys.CurrentSigningKey)), payload, f.Keys.CurrentSigningKey);
        var result = await f.Verifier.ValidateAsync(token, PassportTestContext.Policy(TokenForge.Audience));
        Assert.Equal(expected, result.Error!.Name);
    }

    [Fact]
    public async Task IssuedConstraints_RoundTripThroughTheToken()
    {
        using var f = new PassportTestContext();
        const string json = """{"flights:book":{"amount":{"max":500},"dest":{"in":["JFK","LGA"]}}}""";
        var alice = await RootAsync(f, json);
        Assert.Equal(json, TokenForge.Payload(alice.Token)[PassportClaimNames.Constraints]!.ToJsonString());
        var verified = await f.VerifyAsync(alice);
        Assert.Equal(PassportConstraints.Parse(json), verified.Passport.Constraints);
    }

    internal static Task<IssuedPassport> RootAsync(PassportTestContext f, string constraints, string[]? scopes = null) =>
        Task.FromResult(f.Issuer.Issue(RootRequest(constraints, scopes ?? ["flights:book"])));

    internal static RootPassportRequest RootRequest(string constraints, string[] scopes) => new()
    {
        Identity = PassportTestContext.Identity(),
        AgentId = "agent:alice",
        AgentModel = "model-a",
        Audience = PassportTestContext.AliceAudience,
        ToolScope = scopes,
        Constraints = PassportConstraints.Parse(constraints),
    };

    internal static DelegationRequest Request(string[] scopes, string? constraints) => new()
    {
        AgentId = "agent:carol",
        AgentModel = "model-c",
        Audience = PassportTestContext.FlightsAudience,
        ToolScope = scopes,
        Constraints = constraints is null ? PassportConstraints.Empty : PassportConstraints.Parse(constraints),
    };

    /// <summary>Alice (flights:book, amount: parent) → Bob (flights:book, amount: child or none), both signed directly with the issuer's key.</summary>
    private static string[] Forge(PassportTestContext f, string parent, string? child)
    {
        var alice = TokenForge.RootClaims(scopes: ["flights:book"]);
        alice[PassportClaimNames.Constraints] = JsonNode.Parse("""{"flights:book":{"amount":""" + parent + "}}");
        var bob = TokenForge.ChildClaims(alice, "agent:bob", ["flights:book"]);
        bob.Remove(PassportClaimNames.Constraints);
        if (child is not null)
        {
            bob[PassportClaimNames.Constraints] = JsonNode.Parse("""{"flights:book":{"amount":""" + child + "}}");
        }

        return new ForgedChain([alice, bob]).Sign(f.Keys.CurrentSigningKey);
    }
}
