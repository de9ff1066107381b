using System.Text;
using AgentPassport.Jose;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Audit;

/// <summary>Denials of tokens that did not verify keep only bounded claims; the in-memory sink is bounded by bytes.</summary>
public sealed class AuditBoundsTests
{
    [Fact]
    public async Task A_denied_untrusted_token_with_a_10000_character_purpose_keeps_only_bounded_unverified_claims()
    {
        using var ctx = new PassportTestContext();
        var sink = new InMemoryPassportAuditSink();
        var authorizer = Authorizer(ctx, sink);
        var forged = Forged(ctx, purpose: new string('p', 10_000), agentId: "agent:" + new string('m', 400));

        var decision = await authorizer.AuthorizeAsync(new PassportContext(forged), "flights.book", "flights:book");

        Assert.False(decision.IsAllowed);
        var e = Assert.Single(sink.Events);
        Assert.False(e.ClaimsVerified);
        Assert.InRange(Encoding.UTF8.GetByteCount(e.TaskPurpose!), 1, 256);
        Assert.EndsWith("…", e.TaskPurpose, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(e.AgentId!), 1, 256);
        Assert.StartsWith("agent:mmm", e.AgentId, StringComparison.Ordinal);
        Assert.InRange(InMemoryPassportAuditSink.Estimate(e), 1, 8 * 1024);
    }

    [Fact]
    public async Task A_verified_Passport_keeps_its_claims_whole()
    {
        using var ctx = new PassportTestContext();
        var sink = new InMemoryPassportAuditSink();
        var authorizer = Authorizer(ctx, sink);
        var purpose = new string('p', 1000);
        var alice = ctx.Issuer.Issue(new RootPassportRequest
        {
            Identity = PassportTestContext.Identity(),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = PassportTestContext.AliceAudience,
            ToolScope = ["flights:*"],
            TaskPurpose = purpose,
        });

        await authorizer.AuthorizeAsync(PassportContext.From(alice, PassportTestContext.AliceAudience), "flights.book", "flights:book");

        var e = Assert.Single(sink.Events);
        Assert.True(e.ClaimsVerified);
        Assert.Equal(purpose, e.TaskPurpose);
    }

    [Fact]
    public async Task A_hostile_tool_name_is_kept_to_256_bytes()
    {
        using var ctx = new PassportTestContext();
        var sink = new InMemoryPassportAuditSink();

        await Authorizer(ctx, sink).RecordUnknownToolAsync(null, new string('t', 100_000));

        var e = Assert.Single(sink.Events);
        Assert.Equal(PassportAuditEventKind.UnknownTool, e.Kind);
        Assert.InRange(Encoding.UTF8.GetByteCount(e.ToolName!), 1, 256);
    }

    [Fact]
    public async Task Unknown_tool_names_never_become_metric_tag_values()
    {
        using var ctx = new PassportTestContext();
        var hostile = "unknown-" + Guid.NewGuid().ToString("N");
        var tags = new System.Collections.Concurrent.ConcurrentBag<string?>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PassportTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, measured, _) =>
        {
            foreach (var tag in measured)
            {
                if (tag.Key == "tool")
                {
                    tags.Add(tag.Value as string);
                }
            }
        });
        listener.Start();

        await Authorizer(ctx, new InMemoryPassportAuditSink()).RecordUnknownToolAsync(null, hostile);

        Assert.Contains("(unknown tool)", tags);
        Assert.DoesNotContain(hostile, tags);
    }

    [Fact]
    public async Task The_sink_drops_its_oldest_events_beyond_its_byte_bound()
    {
        var sink = new InMemoryPassportAuditSink(capacity: 10_000, maxBytes: 64 * 1024);
        var big = new string('x', 4_000);  // about 8 KB estimated per event

        for (int i = 0; i < 100; i++)
        {
            await sink.WriteAsync(new PassportAuditEvent { Kind = PassportAuditEventKind.Denied, Timestamp = default, ToolName = $"t{i}", TaskPurpose = big });
        }

        Assert.InRange(sink.EstimatedBytes, 1, 64 * 1024);
        Assert.InRange(sink.Events.Count, 2, 10);
        Assert.Equal("t99", sink.Events[^1].ToolName);
        sink.Clear();
        Assert.Equal(0, sink.EstimatedBytes);
    }

    [Fact]
    public async Task Ten_thousand_max_size_denials_stay_within_the_default_byte_bound()
    {
        using var ctx = new PassportTestContext();
        var sink = new InMemoryPassportAuditSink();
        var authorizer = Authorizer(ctx, sink);
        var forged = new PassportContext(Forged(ctx, purpose: new string('p', 11_000), agentId: "agent:x"));
        var e = (await authorizer.AuthorizeAsync(forged, "flights.book", "flights:book")) is { IsAllowed: false } ? sink.Events[^1] : null;

        for (int i = 0; i < 10_500; i++)
        {
            await sink.WriteAsync(e!);
        }

        Assert.InRange(sink.EstimatedBytes, 1, InMemoryPassportAuditSink.DefaultMaxBytes);
        Assert.InRange(sink.EstimatedBytes, 1, 16L * 1024 * 1024); // bounded records: ~1.5 KB each, far under the ~230 MB seen before
    }

    private static PassportAuthorizer Authorizer(PassportTestContext ctx, IPassportAuditSink sink) =>
        new(ctx.Verifier, new PassportAuthorizerOptions { Policy = PassportTestContext.Policy(PassportTestContext.AliceAudience) }, sink, ctx.Time);

    // Well-formed and signed, but by a key the verifier does not trust: its claims are never verified.
    private static string Forged(PassportTestContext ctx, string purpose, string agentId)
    {
        var template = ctx.IssueAlice().Passport;
        using var stranger = PassportSigningKey.Generate();
        return PassportWriter.Sign(template with { TaskPurpose = purpose, AgentId = agentId, Actor = new PassportActor(agentId) }, stranger);
    }
}
