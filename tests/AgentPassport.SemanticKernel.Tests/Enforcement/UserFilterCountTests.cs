using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests.Enforcement;

/// <summary>
/// A plugin function of a Passport kernel is a self-guarding wrapper around the original function, and Semantic Kernel runs
/// the kernel's filters for both (it has no filterless way to invoke a function): an application's own filter sees each
/// call twice, while the Passport decides and audits it once. Documented in docs/semantic-kernel.md; this pins it.
/// </summary>
public sealed class UserFilterCountTests : IDisposable
{
    private readonly TravelFixture _f = new();

    public void Dispose() => _f.Dispose();

    private sealed class CountingFilter : IFunctionInvocationFilter
    {
        public List<string> Seen { get; } = [];

        public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
        {
            Seen.Add(context.Function.PluginName + "." + context.Function.Name);
            await next(context);
        }
    }

    [Fact]
    public async Task AnApplicationFilter_SeesTheWrapperAndTheWrappedFunction_ThePassportDecidesOnce()
    {
        var (alice, _, _) = await _f.AliceBobCarolAsync();
        var counting = new CountingFilter();
        alice.FunctionInvocationFilters.Insert(0, counting);

        await alice.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "SFO-JFK" });

        Assert.Equal(["flights.book", "flights.book"], counting.Seen);
        Assert.Equal(1, _f.Counters.Total);
        Assert.Single(_f.Sink.Events, e => e.Kind == PassportAuditEventKind.Allowed);
    }
}
