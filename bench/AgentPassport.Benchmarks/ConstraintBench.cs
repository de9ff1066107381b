using System.Text.Json;

namespace AgentPassport.Benchmarks;

/// <summary>
/// Argument constraints (spec v1.1 §13) on the cached path: the same authorizer call on a Passport whose flights:book
/// capability has five constraints (range, in, eq, prefix, maxLength) and on one without, both served from the
/// verifier's cache, with arguments that satisfy all five.
/// </summary>
public sealed class ConstraintBench
{
    private const string Scope = "flights:book";

    private readonly PassportAuthorizer _authorizer;
    private readonly PassportContext _plain;
    private readonly PassportContext _constrained;
    private readonly PassportToolArguments _arguments;

    public ConstraintBench(BenchFixture fx)
    {
        var audience = BenchFixture.Audience(1);
        _plain = Context(fx.Issuer.Issue(fx.RootRequest with { ToolScope = [Scope] }));
        _constrained = Context(fx.Issuer.Issue(fx.RootRequest with
        {
            ToolScope = [Scope],
            Constraints = PassportConstraints.Parse("""
                {"flights:book":{"amount":{"min":1,"max":500},"dest":{"in":["JFK","LGA","EWR"]},"class":{"eq":"economy"},
                 "ref":{"prefix":"BK-"},"note":{"maxLength":64}}}
                """),
        }));
        _arguments = PassportToolArguments.FromJsonObject(JsonDocument.Parse("""
            {"amount":450.50,"dest":"LGA","class":"economy","ref":"BK-1234","note":"window seat"}
            """).RootElement);
        var verifier = new PassportVerifier(fx.Keys, TimeProvider.System, new VerifiedChainCache());
        _authorizer = new PassportAuthorizer(verifier, new PassportAuthorizerOptions { Policy = new VerificationPolicy(BenchFixture.IssuerUrl, audience) }, new DiscardingAuditSink());
        Plain();
        Constrained();
    }

    public void Plain() => Expect(_authorizer.AuthorizeAsync(_plain, "flights.book", Scope, _arguments));

    public void Constrained() => Expect(_authorizer.AuthorizeAsync(_constrained, "flights.book", Scope, _arguments));

    private static PassportContext Context(IssuedPassport issued) => new(issued.Token, issued.ChainTokens, issued.Passport.Audience);

    private static void Expect(ValueTask<PassportDecision> pending)
    {
        var decision = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (!decision.IsAllowed)
        {
            throw new InvalidOperationException("bench: the call was denied: " + decision.Error);
        }
    }

    private sealed class DiscardingAuditSink : IPassportAuditSink
    {
        public ValueTask WriteAsync(PassportAuditEvent auditEvent, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
