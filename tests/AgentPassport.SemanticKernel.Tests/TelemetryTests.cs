using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

[CollectionDefinition(nameof(SerialTelemetry), DisableParallelization = true)]
public sealed class SerialTelemetry;

/// <summary>Runs alone: the meter and activity source are process-wide.</summary>
[Collection(nameof(SerialTelemetry))]
public sealed class TelemetryTests
{
    [Fact]
    public async Task MintsAllowsAndDenies_AreCountedOnTheAgentPassportMeter_AndTraced()
    {
        var counts = new ConcurrentDictionary<string, long>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PassportTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) => counts.AddOrUpdate(instrument.Name, value, (_, n) => n + value));
        meters.Start();
        var activities = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = s => s.Name == PassportTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(tracing);

        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        await carol.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });
        await carol.InvokeAsync("hotels", "book", new KernelArguments { ["item"] = "x" });
        await carol.InvokeAsync("payments", "charge", new KernelArguments { ["item"] = "x" });

        Assert.Equal(3, counts[PassportTelemetry.MintedCounterName]);
        Assert.Equal(1, counts[PassportTelemetry.AllowedCounterName]);
        Assert.Equal(2, counts[PassportTelemetry.DeniedCounterName]);
        var traced = activities.Where(a => a.OperationName == "AgentPassport.Authorize").ToList();
        Assert.Equal(3, traced.Count);
        Assert.Equal(["allowed", "denied", "denied"], traced.Select(a => (string)a.GetTagItem("agent_passport.decision")!));
        Assert.All(traced, a => Assert.Equal("agent:carol", a.GetTagItem("agent_passport.agent_id")));
    }

    [Fact]
    public async Task LogsAndAuditEvents_NeverContainATokenOrSignature()
    {
        var logger = new CapturingLogger<PassportAuthorizer>();
        using var f = new TravelFixture();
        var authorizer = new PassportAuthorizer(f.Verifier, new PassportAuthorizerOptions { Policy = f.Authorizer.Policy }, f.Sink, f.Time, logger);
        var (_, _, carolKernel) = await f.AliceBobCarolAsync();
        var carol = carolKernel.GetPassport()!;
        await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book");
        await authorizer.AuthorizeAsync(carol, "payments.charge", "payments:charge");
        await authorizer.AuthorizeAsync(new PassportContext(carol.Token + "x", carol.ChainTokens, carol.Audience), "flights.book", "flights:book");

        var text = string.Join('\n', logger.Messages) + string.Join('\n', f.Sink.Events.Select(e => e.ToString()));
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
