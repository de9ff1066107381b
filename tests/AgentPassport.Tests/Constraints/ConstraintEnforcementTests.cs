using System.Text.Json;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Constraints;

/// <summary>
/// The capability rule at every call (spec v1.1 §13): allowed when some capability covers the scope and the arguments
/// satisfy all its constraints; otherwise ConstraintViolation naming scope, argument and kind, the value only with detailed denials.
/// </summary>
public sealed class ConstraintEnforcementTests
{
    private const string Carol = """{"flights:book":{"amount":{"max":500},"dest":{"in":["JFK","LGA"]}}}""";

    [Theory]
    [InlineData("""{"amount":500,"dest":"JFK"}""", null, null)]
    [InlineData("""{"amount":499.99,"dest":"LGA","extra":"ignored"}""", null, null)]
    [InlineData("""{"amount":5e2,"dest":"JFK"}""", null, null)]
    [InlineData("""{"amount":900,"dest":"JFK"}""", "amount", "max")]
    [InlineData("""{"amount":500.0000000000000000001,"dest":"JFK"}""", "amount", "max")]
    [InlineData("""{"amount":1e400,"dest":"JFK"}""", "amount", "max")]
    [InlineData("""{"amount":"500","dest":"JFK"}""", "amount", "max")]
    [InlineData("""{"amount":null,"dest":"JFK"}""", "amount", "max")]
    [InlineData("""{"dest":"JFK"}""", "amount", "max")]
    [InlineData("""{"amount":100,"dest":"EWR"}""", "dest", "in")]
    [InlineData("""{"amount":100,"dest":"jfk"}""", "dest", "in")]
    [InlineData("""{"amount":100}""", "dest", "in")]
    [InlineData("""[1,2]""", "amount", "max")]
    public async Task Call_IsAllowedOnlyWithinTheConstraints(string arguments, string? argument, string? constraint)
    {
        var (f, authorizer, context) = await SetupAsync(Carol);
        using var _ = f;
        var decision = await authorizer.AuthorizeAsync(context, "flights.book", "flights:book", Args(arguments));
        if (argument is null)
        {
            Assert.True(decision.IsAllowed, decision.IsAllowed ? null : decision.Error.ToString());
            return;
        }

        Assert.False(decision.IsAllowed);
        Assert.Equal(PassportErrorKind.ConstraintViolation, decision.Error.Kind);
        Assert.Equal("AP0047", decision.Error.Code);
        Assert.Equal("flights:book", decision.Error.Details.Scope);
        Assert.Equal(argument, decision.Error.Details.Argument);
        Assert.Equal(constraint, decision.Error.Details.Constraint);
        Assert.Contains($"'{argument}'", decision.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("900", decision.Error.Message, StringComparison.Ordinal); // no value without detailed denials
    }

    [Fact]
    public async Task NullOrIncompleteArguments_AreDenied_ForAConstrainedCapabilityOnly()
    {
        var (f, authorizer, context) = await SetupAsync(Carol, ["flights:book", "flights:search"]);
        using var _ = f;
        Assert.Equal(PassportErrorKind.ConstraintViolation, (await authorizer.AuthorizeAsync(context, "flights.book", "flights:book")).Error!.Kind);
        var incomplete = PassportToolArguments.FromJsonObject(JsonDocument.Parse("""{"amount":1,"amount":2,"dest":"JFK"}""").RootElement);
        Assert.False(incomplete.IsComplete);
        Assert.Equal(PassportErrorKind.ConstraintViolation, (await authorizer.AuthorizeAsync(context, "flights.book", "flights:book", incomplete)).Error!.Kind);

        // An unconstrained capability needs no arguments.
        Assert.True((await authorizer.AuthorizeAsync(context, "flights.search", "flights:search")).IsAllowed);
    }

    [Fact]
    public async Task DetailedDenials_NameTheValue()
    {
        var (f, authorizer, context) = await SetupAsync(Carol, detailed: true);
        using var _ = f;
        var decision = await authorizer.AuthorizeAsync(context, "flights.book", "flights:book", Args("""{"amount":900,"dest":"JFK"}"""));
        Assert.Contains("= 900", decision.Error!.Message, StringComparison.Ordinal);
        decision = await authorizer.AuthorizeAsync(context, "flights.book", "flights:book", Args("""{"dest":"JFK"}"""));
        Assert.Contains("(missing)", decision.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeCapability_Suffices_AllOfItsConstraintsMustHold()
    {
        // Two capabilities cover flights:book: cheap anywhere, or expensive to JFK only.
        const string json = """{"flights:*":{"amount":{"max":100}},"flights:book":{"amount":{"max":900},"dest":{"eq":"JFK"}}}""";
        var (f, authorizer, context) = await SetupAsync(json, ["flights:*", "flights:book"]);
        using var _ = f;
        Assert.True((await authorizer.AuthorizeAsync(context, "flights.book", "flights:book", Args("""{"amount":50,"dest":"EWR"}"""))).IsAllowed);
        Assert.True((await authorizer.AuthorizeAsync(context, "flights.book", "flights:book", Args("""{"amount":800,"dest":"JFK"}"""))).IsAllowed);
        var denied = await authorizer.AuthorizeAsync(context, "flights.book", "flights:book", Args("""{"amount":800,"dest":"EWR"}"""));
        Assert.Equal(PassportErrorKind.ConstraintViolation, denied.Error!.Kind);
        Assert.Equal("flights:*", denied.Error.Details.Scope); // the first covering capability's refusal is reported
        Assert.Equal(PassportErrorKind.ConstraintViolation, (await authorizer.AuthorizeAsync(context, "flights.cancel", "flights:cancel", Args("""{"amount":800}"""))).Error!.Kind);
        Assert.True((await authorizer.AuthorizeAsync(context, "flights.cancel", "flights:cancel", Args("""{"amount":80}"""))).IsAllowed);
    }

    [Fact]
    public async Task ScopeViolation_StillComesFirst()
    {
        var (f, authorizer, context) = await SetupAsync(Carol);
        using var _ = f;
        Assert.Equal(PassportErrorKind.ScopeViolation, (await authorizer.AuthorizeAsync(context, "hotels.book", "hotels:book", Args("{}"))).Error!.Kind);
    }

    [Fact]
    public async Task DeniedCall_IsAuditedOnceWithTheViolation()
    {
        var sink = new InMemoryPassportAuditSink();
        var (f, authorizer, context) = await SetupAsync(Carol, sink: sink);
        using var _ = f;
        await authorizer.AuthorizeAsync(context, "flights.book", "flights:book", Args("""{"amount":900,"dest":"JFK"}"""));
        var denied = Assert.Single(sink.Events, e => e.Kind == PassportAuditEventKind.Denied);
        Assert.Equal(PassportErrorKind.ConstraintViolation, denied.ErrorKind);
        Assert.Equal("AP0047", denied.ErrorCode);
    }

    internal static PassportToolArguments Args(string json) => PassportToolArguments.FromJsonObject(JsonDocument.Parse(json).RootElement);

    internal static async Task<(PassportTestContext F, PassportAuthorizer Authorizer, PassportContext Context)> SetupAsync(
        string constraints, string[]? scopes = null, bool detailed = false, InMemoryPassportAuditSink? sink = null)
    {
        var f = new PassportTestContext();
        var alice = f.IssueAlice();
        var carol = f.Issuer.Delegate(await f.VerifyAsync(alice), new DelegationRequest
        {
            AgentId = "agent:carol",
            AgentModel = "model-c",
            Audience = PassportTestContext.FlightsAudience,
            ToolScope = scopes ?? ["flights:book"],
            Constraints = PassportConstraints.Parse(constraints),
        });
        var verifier = new PassportVerifier(f.Keys, f.Time, 1024);
        var authorizer = new PassportAuthorizer(verifier,
            new PassportAuthorizerOptions { Policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience), IncludeDetailedDenials = detailed },
            sink ?? new InMemoryPassportAuditSink(), f.Time);
        return (f, authorizer, new PassportContext(carol.Token, carol.ChainTokens, carol.Passport.Audience));
    }
}
