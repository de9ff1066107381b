using System.Collections.Concurrent;
using AgentPassport.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AgentPassport.Tests.Audit;

/// <summary>What the authorizer logs and audits names the decision, never a token or a signature.</summary>
public sealed class EnforcementLogTests
{
    [Fact]
    public async Task LogsAndAuditEvents_NeverContainATokenOrSignature()
    {
        var logger = new CapturingLogger<PassportAuthorizer>();
        using var f = new PassportTestContext();
        var sink = new InMemoryPassportAuditSink();
        var authorizer = new PassportAuthorizer(f.Verifier,
            new PassportAuthorizerOptions { Policy = PassportTestContext.Policy(PassportTestContext.FlightsAudience) }, sink, f.Time, logger);
        var (_, _, issued) = await f.AliceBobCarolAsync();
        var carol = new PassportContext(issued.Token, issued.ChainTokens, issued.Passport.Audience);
        await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book");
        await authorizer.AuthorizeAsync(carol, "payments.charge", "payments:charge");
        await authorizer.AuthorizeAsync(new PassportContext(carol.Token + "x", carol.ChainTokens, carol.Audience), "flights.book", "flights:book");

        var text = string.Join('\n', logger.Messages) + string.Join('\n', sink.Events.Select(e => e.ToString()));
        Assert.Contains(logger.Messages, m => m.Contains("denied payments.charge", StringComparison.Ordinal) && m.Contains("AP0013", StringComparison.Ordinal));
        foreach (var token in carol.ChainTokens.Append(carol.Token))
        {
            foreach (var segment in token.Split('.').Skip(1))
            {
                Assert.DoesNotContain(segment, text, StringComparison.Ordinal);
            }
        }
    }

    private sealed class CapturingLogger<T> : ILogger<T>
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}
