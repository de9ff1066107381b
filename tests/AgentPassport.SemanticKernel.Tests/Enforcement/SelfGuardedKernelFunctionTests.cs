using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests.Enforcement;

/// <summary>
/// A Passport kernel's own functions carry the check where their body runs: invoked as an <see cref="AIFunction"/> (past
/// every kernel filter), they are still decided once, for the right agent, and run on that agent's kernel. The agents come
/// from the delegation service, so their kernels are clones sharing one template's plugins.
/// </summary>
public sealed class SelfGuardedKernelFunctionTests : IDisposable
{
    private readonly TravelFixture _f = new();

    public void Dispose() => _f.Dispose();

    private IReadOnlyList<string> Decisions() => _f.Sink.Events
        .Where(e => e.Kind != PassportAuditEventKind.Minted)
        .Select(e => $"{e.AgentId} {(e.Kind == PassportAuditEventKind.Allowed ? "allowed" : "denied")} {e.RequiredScope ?? "-"}")
        .ToList();

    private Kernel NestedTemplate()
    {
        var builder = Kernel.CreateBuilder();
        builder.Plugins.AddFromObject(new NestedBookingPlugin(_f.Counters), "flights");
        builder.Plugins.AddFromObject(new PaymentsPlugin(_f.Counters), "payments");
        return builder.Build().UseAgentPassport(_f.Authorizer, passport: null);
    }

    private static AIFunctionArguments Args(IServiceProvider? services = null) =>
        new(new Dictionary<string, object?> { ["item"] = "SFO-JFK" }) { Services = services };

    [Fact]
    public async Task AKernelFunctionInvokedAsAnAIFunction_IsDecidedForItsOwnAgent_AndDeniedBodiesNeverRun()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        AIFunction charge = carol.Plugins["payments"]["charge"];

        var result = await charge.InvokeAsync(Args());

        Assert.Equal(0, _f.Counters.Total);
        Assert.Contains("denied", result?.ToString(), StringComparison.Ordinal);
        Assert.Equal(["agent:carol denied payments:charge"], Decisions());
    }

    [Fact]
    public async Task ServicesCarryingTheParentsKernel_DoNotMakeTheBodyRunThere()
    {
        var (alice, _, carol) = await _f.AliceBobCarolAsync(NestedTemplate());
        using var services = new ServiceCollection().AddSingleton(alice).BuildServiceProvider();
        AIFunction book = carol.Plugins["flights"]["book"];

        await book.InvokeAsync(Args(services));

        Assert.Equal([("flights.book", (string?)"agent:carol")], _f.Counters.Log);
        Assert.Equal(["agent:carol allowed flights:book", "agent:carol denied payments:charge"], Decisions());
    }

    [Fact]
    public async Task EachDelegatedKernel_HasItsOwnFunctions_NotTheParents()
    {
        // The clones share the template's plugin objects; each agent's kernel gets functions bound to itself.
        var (alice, bob, carol) = await _f.AliceBobCarolAsync(NestedTemplate());

        Assert.NotSame(alice.Plugins["flights"]["book"], carol.Plugins["flights"]["book"]);
        await ((AIFunction)bob.Plugins["flights"]["book"]).InvokeAsync(Args());

        Assert.Equal([("flights.book", (string?)"agent:bob")], _f.Counters.Log);
        Assert.Equal(["agent:bob allowed flights:book", "agent:bob denied payments:charge"], Decisions());
    }

    [Fact]
    public async Task ThroughTheKernel_EachCallIsStillDecidedExactlyOnce_StreamingToo()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();

        var result = await carol.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });
        await foreach (var _ in carol.InvokeStreamingAsync(carol.Plugins["flights"]["book"], new KernelArguments { ["item"] = "y" }))
        {
        }

        Assert.Equal("flights.book done", result.GetValue<string>());
        Assert.Equal(2, _f.Counters.Runs("flights.book"));
        Assert.Equal(["agent:carol allowed flights:book", "agent:carol allowed flights:book"], Decisions());
    }

    [Fact]
    public async Task TheSelfGuardedFunction_KeepsNameDescriptionParametersAndScope()
    {
        var plain = KernelPluginFactory.CreateFromObject(new FlightsPlugin(_f.Counters), "flights")["book"];
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var guarded = carol.Plugins["flights"]["book"];

        Assert.Equal(plain.Name, guarded.Name);
        Assert.Equal(plain.PluginName, guarded.PluginName);
        Assert.Equal(plain.Description, guarded.Description);
        Assert.Equal(plain.Metadata.Parameters.Select(p => p.Name), guarded.Metadata.Parameters.Select(p => p.Name));
        Assert.Equal(plain.JsonSchema.ToString(), guarded.JsonSchema.ToString());
        Assert.Equal("flights:book", carol.GetPassportFilter().GetRequiredScope(guarded));
    }
}
