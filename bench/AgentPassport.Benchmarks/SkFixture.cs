using AgentPassport.SemanticKernel;
using Microsoft.SemanticKernel;

namespace AgentPassport.Benchmarks;

/// <summary>
/// Kernels for the Semantic Kernel figures: a plugin <c>flights</c> with an echo function <c>book</c>, invoked with
/// <c>KernelFunction.InvokeAsync</c>. Each agent has its own kernel and its own Passport (a leaf three tokens deep).
/// </summary>
public sealed class SkFixture
{
    public const int Agents = 8;

    public SkFixture(BenchFixture fx)
    {
        Function = KernelFunctionFactory.CreateFromMethod((string input) => input, "book");
        var plugin = KernelPluginFactory.CreateFromFunctions("flights", [Function]);
        Function = plugin["book"];
        Arguments = new KernelArguments { ["input"] = "SFO-JFK" };

        // Every agent holds its own leaf under the same root → hop chain (as sub-agents of one user would).
        var cache = new VerifiedChainCache();
        Verifier = new PassportVerifier(fx.Keys, TimeProvider.System, cache);
        var parents = new[] { fx.Chain[0].Token, fx.Chain[1].Token };
        var policy = BenchFixture.PolicyFor(3);
        Plain = NewKernel(plugin);
        NoOp = NewKernel(plugin);
        NoOp.FunctionInvocationFilters.Add(new NoOpFilter());
        PlainAgents = new Kernel[Agents];
        for (int i = 0; i < Agents; i++)
        {
            PlainAgents[i] = NewKernel(plugin);
        }

        // The Semantic Kernel plugin: kernel.UseAgentPassport with a PassportAuthorizer that verifies through the same
        // cached verifier (as AddAgentPassport registers it) and records an audit event per decision; the sink here
        // discards them so memory stays flat.
        var authorizer = new PassportAuthorizer(Verifier, new PassportAuthorizerOptions { Policy = policy }, new DiscardingAuditSink());
        PluginAgents = new Kernel[Agents];
        for (int i = 0; i < Agents; i++)
        {
            PluginAgents[i] = NewKernel(plugin).UseAgentPassport(authorizer, new PassportContext(fx.FreshLeaves[3][i], parents));
        }

        Plugin = PluginAgents[0];

        // Verified once (cold) before measuring: "Passport already verified".
        foreach (var kernel in PluginAgents)
        {
            if (Invoke(kernel) != "SFO-JFK")
            {
                throw new InvalidOperationException("the Semantic Kernel plugin denied the benchmark call");
            }
        }
    }

    public KernelFunction Function { get; }

    public KernelArguments Arguments { get; }

    public PassportVerifier Verifier { get; }

    public Kernel Plain { get; }

    public Kernel NoOp { get; }

    public Kernel[] PlainAgents { get; }

    /// <summary>Gets a kernel using the real plugin (<c>UseAgentPassport</c>).</summary>
    public Kernel Plugin { get; }

    public Kernel[] PluginAgents { get; }

    /// <summary>One plain <c>KernelFunction.InvokeAsync</c> (it completes synchronously for this function).</summary>
    public string? Invoke(Kernel kernel) => Function.InvokeAsync(kernel, Arguments).GetAwaiter().GetResult().GetValue<string>();

    /// <summary>Runs <paramref name="callsPerAgent"/> calls on each agent's kernel, all agents concurrently.</summary>
    public static void RunAgents(SkFixture sk, Kernel[] kernels, int callsPerAgent)
    {
        var tasks = new Task[kernels.Length];
        for (int a = 0; a < kernels.Length; a++)
        {
            var kernel = kernels[a];
            tasks[a] = Task.Run(async () =>
            {
                for (int i = 0; i < callsPerAgent; i++)
                {
                    await sk.Function.InvokeAsync(kernel, sk.Arguments).ConfigureAwait(false);
                }
            });
        }

        Task.WaitAll(tasks);
    }

    private static Kernel NewKernel(KernelPlugin plugin)
    {
        var kernel = new Kernel();
        kernel.Plugins.Add(plugin);
        return kernel;
    }

    internal sealed class DiscardingAuditSink : IPassportAuditSink
    {
        public ValueTask WriteAsync(PassportAuditEvent auditEvent, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
