using AgentPassport.Extensions.AI;
using AgentPassport.Integrations.Tests.HeldOut.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Xunit.Sdk;

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Property (issue 12): for seeded random compositions of wrappers — guards of any agent, approval wrappers, careless
/// delegating wrappers, kernel functions bound to any agent's kernel, tools delivered through options, the loop's
/// AdditionalTools, ConfigureOptions inside the Passport client, per-run options or a run's ChatClientFactory, chat
/// clients shared with another agent, loops whose services carry a DI kernel — the body runs iff the executing agent's
/// Passport allows it, each attempt (nested ones included) is audited once naming that agent, or the configuration is
/// refused by Agent Passport with an InvalidOperationException before anything runs.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class RandomCompositionPropertyTests
{
    private const int Cases = 240;
    private static readonly string[] Agents = ["agent:alice", "agent:bob", "agent:carol"];

    // Every adapter is told each tool name's scope, so any guard (of any kind, over any wrapper) can resolve it by name:
    // a denial is then always the executing agent's Passport speaking, never a missing requirement.
    private static readonly Dictionary<string, string> ScopesByName = new(StringComparer.Ordinal)
    {
        ["flights_book"] = "flights:book",
        ["hotels_book"] = "hotels:book",
        ["payments_charge"] = "payments:charge",
        ["trip_book_and_pay"] = "flights:book",
    };

    [Fact]
    public async Task Body_runs_iff_the_executing_agent_is_allowed_and_the_audit_names_that_agent()
    {
        var failures = new List<string>();
        for (var seed = 0; seed < Cases; seed++)
        {
            var c = Composition.Generate(seed);
            var failure = await RunCaseAsync(c);
            if (failure is not null)
            {
                failures.Add($"#{seed} {c}\n      {failure}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} compositions broke the property:\n" + string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void The_generator_covers_every_dimension()
    {
        // Guards the property test itself: 240 seeds must exercise every host, delivery, source, wrapper and service kind.
        var all = Enumerable.Range(0, Cases).Select(Composition.Generate).ToList();
        Assert.Equal(Enum.GetValues<Host>().Length, all.Select(c => c.Host).Distinct().Count());
        Assert.Equal(Enum.GetValues<Delivery>().Length, all.Select(c => c.Delivery).Distinct().Count());
        Assert.Equal(Enum.GetValues<Source>().Length, all.Select(c => c.Source).Distinct().Count());
        Assert.Equal(Enum.GetValues<Services>().Length, all.Select(c => c.Services).Distinct().Count());
        Assert.Equal(Enum.GetValues<WrapperKind>().Length, all.SelectMany(c => c.Wrappers).Select(x => x.Kind).Distinct().Count());
        Assert.Contains(all, c => c.Executor != c.ClientAgent);
        Assert.Contains(all, c => c.Tool == "trip_book_and_pay");
    }

    private static async Task<string?> RunCaseAsync(Composition c)
    {
        using var w = await HeldOutWorld.CreateAsync();
        try
        {
            await w.CheckAsync(() => Task.FromResult(Build(w, c)), c.Executor, Expected(c));
            return null;
        }
        catch (XunitException e)
        {
            return e.Message.Replace("\n", " | ", StringComparison.Ordinal);
        }
        catch (Exception e)
        {
            return $"threw {e.GetType().Name}: {e.Message}";
        }
    }

    private static Attempt[] Expected(Composition c)
    {
        var kernel = c.Source != Source.Plain;
        var scope = c.Tool == "trip_book_and_pay" ? "flights:book" : c.Tool.Replace('_', ':');
        var body = c.Tool == "trip_book_and_pay" ? "trip.book_and_pay" : kernel ? c.Tool.Replace('_', '.') : c.Tool;
        var allowed = HeldOutWorld.Grants(c.Executor, scope);
        var attempts = new List<Attempt> { new(body, allowed, scope) };
        if (c.Tool == "trip_book_and_pay" && allowed)
        {
            attempts.Add(new Attempt("payments.charge", HeldOutWorld.Grants(c.Executor, "payments:charge"), "payments:charge"));
        }

        return [.. attempts];
    }

    // Builds the composition and returns its run. Throws (InvalidOperationException from Agent Passport) when refused.
    private static Func<Task> Build(HeldOutWorld w, Composition c)
    {
        IServiceProvider? services = c.Services switch
        {
            Services.PlainKernel => w.PlainKernelServices(),
            Services.AgentKernel => HeldOutWorld.ServicesWithKernel(Kernel(w, c.ServicesAgent)),
            _ => null,
        };

        var tool = MakeTool(w, c);
        foreach (var wrapper in c.Wrappers)
        {
            tool = wrapper.Kind switch
            {
                WrapperKind.GuardOf => (AIFunction)new[] { tool }.GuardWithPassport(w.Authorizer, w.Of(wrapper.Agent), ScopesByName)[0],
                WrapperKind.KernelGuardOf => (AIFunction)Kernel(w, wrapper.Agent).GuardAIFunctions([tool])[0],
                WrapperKind.Approval => new ApprovalRequiredAIFunction(tool),
                _ => new LoggingAIFunction(tool),
            };
        }

        var needsApproval = c.Wrappers.Any(x => x.Kind == WrapperKind.Approval);
        var model = new ScriptedChatClient("model", [tool.Name]).WithTravelItem();
        var inOptions = c.Delivery == Delivery.Options;

        switch (c.Host)
        {
            case Host.PassportClient:
            case Host.PassportClientWithRequestPassport:
            {
                var builder = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, w.Of(c.ClientAgent), Configure);
                if (c.Delivery == Delivery.ConfigureOptionsInside)
                {
                    builder.ConfigureOptions(o => (o.Tools ??= []).Add(tool));
                }

                var client = builder.UseFunctionInvocation(configure: f => f.AdditionalTools = c.Delivery == Delivery.AdditionalTools ? [tool] : null).Build(services);
                // A chat client has no runs: per-run and factory delivery are the request's own options here.
                var options = new ChatOptions { Tools = inOptions || c.Delivery == Delivery.PerRun || c.Delivery == Delivery.ChatClientFactory ? [tool] : [] };
                if (c.Host == Host.PassportClientWithRequestPassport)
                {
                    options.WithPassport(w.Of(c.Executor));
                }

                return needsApproval ? () => Approvals.RunApprovingAsync(client, options) : () => client.GetResponseAsync("go", options);
            }

            default:
            {
                var chatBuilder = new ChatClientBuilder(model);
                if (c.Host == Host.AgentOverSharedPassportClient)
                {
                    chatBuilder.UseAgentPassport(w.Authorizer, w.Of(c.ClientAgent), Configure);
                }

                if (c.Delivery == Delivery.ConfigureOptionsInside)
                {
                    chatBuilder.ConfigureOptions(o => (o.Tools ??= []).Add(tool));
                }

                var chat = chatBuilder.UseFunctionInvocation(configure: f => f.AdditionalTools = c.Delivery == Delivery.AdditionalTools ? [tool] : null).Build(services);
                var agent = new ChatClientAgent(chat, name: "agent", tools: inOptions ? [tool] : null)
                    .AsBuilder().UseAgentPassport(w.Authorizer, w.Of(c.Executor), o =>
                    {
                        foreach (var (name, scope) in ScopesByName)
                        {
                            o.ToolScopes[name] = scope;
                        }
                    }).Build();
                AgentRunOptions? run = c.Delivery switch
                {
                    Delivery.PerRun => new ChatClientAgentRunOptions(new ChatOptions { Tools = [tool] }),
                    Delivery.ChatClientFactory => new ChatClientAgentRunOptions { ChatClientFactory = inner => inner.AsBuilder().ConfigureOptions(o => (o.Tools ??= []).Add(tool)).Build() },
                    _ => null,
                };
                return needsApproval ? () => Approvals.RunApprovingAsync(agent, run) : () => agent.RunAsync("go", options: run);
            }
        }
    }

    private static AIFunction MakeTool(HeldOutWorld w, Composition c)
    {
        if (c.Source == Source.Plain)
        {
            return w.Tool(c.Tool);
        }

        var (plugin, function) = c.Tool == "trip_book_and_pay" ? ("trip", "book_and_pay") : (c.Tool.Split('_')[0], c.Tool.Split('_')[1]);
        var kernel = Kernel(w, c.SourceAgent);
        return c.Source switch
        {
            Source.KernelGuarded => (AIFunction)kernel.GuardAIFunctions([kernel.Plugins[plugin][function]])[0],
            Source.KernelAsAIFunctions => kernel.Plugins[plugin].AsAIFunctions(kernel).Single(f => f.Name.EndsWith(function, StringComparison.Ordinal)),
            _ => kernel.Plugins[plugin][function],
        };
    }

    private static Kernel Kernel(HeldOutWorld w, string agent) => w.AgentKernel(w.Of(agent), toolScopes: ScopesByName);

    private static void Configure(PassportChatClient client)
    {
        client.AdvertiseAllowedToolsOnly = false;
        foreach (var (name, scope) in ScopesByName)
        {
            client.ToolScopes[name] = scope;
        }
    }

    private enum Host
    {
        PassportClient,
        PassportClientWithRequestPassport,
        Agent,
        AgentOverSharedPassportClient,
    }

    private enum Delivery
    {
        Options,
        AdditionalTools,
        ConfigureOptionsInside,
        PerRun,
        ChatClientFactory,
    }

    private enum Source
    {
        Plain,
        KernelGuarded,
        KernelAsAIFunctions,
        KernelFunction,
    }

    private enum Services
    {
        None,
        PlainKernel,
        AgentKernel,
    }

    private enum WrapperKind
    {
        GuardOf,
        KernelGuardOf,
        Approval,
        Logging,
    }

    private sealed record Wrapper(WrapperKind Kind, string Agent)
    {
        public override string ToString() => Kind is WrapperKind.GuardOf or WrapperKind.KernelGuardOf ? $"{Kind}({Agent[6..]})" : Kind.ToString();
    }

    private sealed record Composition(
        string Executor, string ClientAgent, Host Host, Delivery Delivery, string Tool, Source Source, string SourceAgent,
        IReadOnlyList<Wrapper> Wrappers, Services Services, string ServicesAgent)
    {
        public static Composition Generate(int seed)
        {
            var r = new Random(seed);
            T Pick<T>(IReadOnlyList<T> items) => items[r.Next(items.Count)];
            var host = Pick(Enum.GetValues<Host>());
            var executor = Pick(Agents);
            var clientAgent = host is Host.PassportClient or Host.Agent ? executor : Pick(Agents);
            var delivery = Pick(Enum.GetValues<Delivery>());
            var source = Pick(Enum.GetValues<Source>());
            var tool = source != Source.Plain && r.Next(4) == 0 ? "trip_book_and_pay" : Pick(["flights_book", "hotels_book", "payments_charge"]);
            var wrappers = Enumerable.Range(0, r.Next(3)).Select(_ => new Wrapper(Pick(Enum.GetValues<WrapperKind>()), Pick(Agents))).ToList();
            // A bare kernel function in a MEAI loop needs a Kernel from the loop's services to run at all (SK 1.82).
            var services = source == Source.KernelFunction ? Pick([Services.PlainKernel, Services.AgentKernel]) : Pick(Enum.GetValues<Services>());
            return new Composition(executor, clientAgent, host, delivery, tool, source, Pick(Agents), wrappers, services, Pick(Agents));
        }

        public override string ToString() =>
            $"executor={Executor[6..]} host={Host}{(ClientAgent == Executor ? "" : $"(client {ClientAgent[6..]})")} delivery={Delivery} tool={Tool} " +
            $"source={Source}{(Source == Source.Plain ? "" : $"({SourceAgent[6..]})")} wrappers=[{string.Join(",", Wrappers)}] services={Services}{(Services == Services.AgentKernel ? $"({ServicesAgent[6..]})" : "")}";
    }
}
