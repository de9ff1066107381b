using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Audit;

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

        using var f = new AuditedTravelChain();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        await f.Authorizer.AuthorizeAsync(carol, "flights.book", "flights:book");
        await f.Authorizer.AuthorizeAsync(carol, "hotels.book", "hotels:book");
        await f.Authorizer.AuthorizeAsync(carol, "payments.charge", "payments:charge");

        Assert.Equal(3, counts[PassportTelemetry.MintedCounterName]);
        Assert.Equal(1, counts[PassportTelemetry.AllowedCounterName]);
        Assert.Equal(2, counts[PassportTelemetry.DeniedCounterName]);
        var traced = activities.Where(a => a.OperationName == "AgentPassport.Authorize").ToList();
        Assert.Equal(3, traced.Count);
        Assert.Equal(["allowed", "denied", "denied"], traced.Select(a => (string)a.GetTagItem("agent_passport.decision")!));
        Assert.All(traced, a => Assert.Equal("agent:carol", a.GetTagItem("agent_passport.agent_id")));
        Assert.All(traced, a => Assert.NotNull(a.GetTagItem(PassportTelemetry.TokenIdTag)));
        Assert.All(traced, a => Assert.NotNull(a.GetTagItem(PassportTelemetry.ParentTokenIdTag)));
        Assert.Equal([null, "ScopeViolation", "ScopeViolation"], traced.Select(a => (string?)a.GetTagItem(PassportTelemetry.ErrorKindTag)));
        var mints = activities.Where(a => a.OperationName == PassportTelemetry.MintActivityName).ToList();
        Assert.Equal(3, mints.Count);
        Assert.Equal(["agent:alice", "agent:bob", "agent:carol"], mints.Select(a => (string)a.GetTagItem(PassportTelemetry.AgentIdTag)!));
        Assert.Null(mints[0].GetTagItem(PassportTelemetry.ParentTokenIdTag));
        Assert.Equal(mints[0].GetTagItem(PassportTelemetry.TokenIdTag), mints[1].GetTagItem(PassportTelemetry.ParentTokenIdTag));
        Assert.Equal(traced[0].GetTagItem(PassportTelemetry.TokenIdTag), mints[2].GetTagItem(PassportTelemetry.TokenIdTag));
    }
}
