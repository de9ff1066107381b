using System.Collections.Concurrent;
using System.ComponentModel;
using System.Text.RegularExpressions;
using AgentPassport.SemanticKernel;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentPassport.Integrations.Tests.HeldOut.Support;

/// <summary>One attempted tool call: the body it would run, whether the executing agent's Passport allows it, its scope.</summary>
public sealed record Attempt(string Body, bool Allowed, string? Scope = null);

/// <summary>
/// The held-out adversarial harness: Alice (flights:*, hotels:*, payments:charge) → Bob (flights:*, hotels:book) →
/// Carol (flights:book), kernels with counting plugins, counting AIFunctions, and one check that both acceptable designs
/// pass: (a) the configuration is refused with an InvalidOperationException thrown by Agent Passport before any body ran,
/// or (b) a denied body never runs, an allowed one runs exactly once, each attempt is audited exactly once, every
/// decision names the executing agent, and no body runs on another agent's kernel.
/// </summary>
public sealed class HeldOutWorld : IDisposable
{
    private HeldOutWorld()
    {
    }

    public PassportFixture F { get; } = new();

    public BodyLog Bodies { get; } = new();

    public PassportContext Alice { get; private set; } = null!;

    public PassportContext Bob { get; private set; } = null!;

    public PassportContext Carol { get; private set; } = null!;

    public PassportAuthorizer Authorizer => F.Authorizer;

    public static async Task<HeldOutWorld> CreateAsync()
    {
        var w = new HeldOutWorld();
        (w.Alice, w.Bob, w.Carol) = await w.F.AliceBobCarolAsync();
        return w;
    }

    public static string AgentOf(PassportContext context) => PassportReader.DecodeUnverified(context.Token).AgentId;

    public PassportContext Of(string agent) => agent switch
    {
        "agent:alice" => Alice,
        "agent:bob" => Bob,
        "agent:carol" => Carol,
        _ => throw new ArgumentOutOfRangeException(nameof(agent)),
    };

    /// <summary>Whether <paramref name="agent"/>'s Passport covers <paramref name="scope"/> (the fixture's grants).</summary>
    public static bool Grants(string agent, string scope) => agent switch
    {
        "agent:alice" => true,
        "agent:bob" => scope is "flights:book" or "hotels:book",
        "agent:carol" => scope is "flights:book",
        _ => false,
    };

    /// <summary>A kernel builder with the counting plugins flights, hotels, payments and trip (trip nests a payment).</summary>
    public IKernelBuilder KernelBuilder()
    {
        var b = Kernel.CreateBuilder();
        AddPlugins(b.Plugins);
        return b;
    }

    public void AddPlugins(IKernelBuilderPlugins plugins)
    {
        plugins.AddFromObject(new HeldOutFlights(Bodies), "flights");
        plugins.AddFromObject(new HeldOutHotels(Bodies), "hotels");
        plugins.AddFromObject(new HeldOutPayments(Bodies), "payments");
        plugins.AddFromObject(new HeldOutTrip(Bodies), "trip");
    }

    /// <summary>An agent's kernel: the counting plugins, optional services (a chat client), then UseAgentPassport.</summary>
    public Kernel AgentKernel(PassportContext? who, Action<IServiceCollection>? services = null, IEnumerable<KeyValuePair<string, string>>? toolScopes = null)
    {
        var b = KernelBuilder();
        services?.Invoke(b.Services);
        return b.Build().UseAgentPassport(Authorizer, who, toolScopes);
    }

    /// <summary>A kernel's IChatClient behind Semantic Kernel's own loop (the supported configuration).</summary>
    public static Action<IServiceCollection> SkLoop(IChatClient model) =>
        s => s.AddSingleton<IChatClient>(sp => new ChatClientBuilder(model).UseKernelFunctionInvocation().Build(sp));

    /// <summary>A service provider holding a kernel with the same plugins and no Passport enforcement (<c>AddKernel()</c>).</summary>
    public ServiceProvider PlainKernelServices()
    {
        var services = new ServiceCollection();
        AddPlugins(services.AddKernel().Plugins);
        return services.BuildServiceProvider();
    }

    /// <summary>A service provider whose Kernel is another agent's kernel.</summary>
    public static ServiceProvider ServicesWithKernel(Kernel kernel) => new ServiceCollection().AddSingleton(kernel).BuildServiceProvider();

    public static KernelArguments Auto() => new(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() });

    /// <summary>flights_book, hotels_book, payments_charge as plain AIFunctions, each declaring its scope.</summary>
    public IList<AIFunction> Tools() => [Tool("flights_book", "flights:book"), Tool("hotels_book", "hotels:book"), Tool("payments_charge", "payments:charge")];

    public AIFunction Tool(string name) => Tools().Single(t => t.Name == name);

    public AIFunction Tool(string name, string? scope)
    {
        var f = AIFunctionFactory.Create((string item) => Bodies.Hit(name, null), new AIFunctionFactoryOptions { Name = name, Description = "Travel tool " + name });
        return scope is null ? f : f.WithPassportScope(scope);
    }

    /// <summary>Every non-mint decision, except the application's own top-level prompt should a design audit it.</summary>
    public IReadOnlyList<PassportAuditEvent> Decisions() => F.Sink.Events
        .Where(e => e.Kind != PassportAuditEventKind.Minted && !IsPromptName(e.ToolName))
        .ToList();

    public string DescribeDecisions() =>
        string.Join("; ", Decisions().Select(e => $"{e.AgentId ?? "<none>"} {e.Kind} {e.RequiredScope ?? "-"} {e.ErrorKind?.ToString() ?? ""} ({e.ToolName})"));

    /// <summary>
    /// Runs a scenario: setup returns the run. See the class summary for what passes. Returns true when the run happened
    /// and was checked (so the caller may assert more, such as the error kind), false when the configuration was refused.
    /// </summary>
    public async Task<bool> CheckAsync(Func<Task<Func<Task>>> setup, string? executor, params Attempt[] attempts)
    {
        Func<Task> run;
        try
        {
            run = await setup();
        }
        catch (Exception e) when (IsSetupRefusal(e))
        {
            Assert.True(Bodies.Total == 0, "Refused at setup, but a body ran: " + Bodies.Describe());
            return false;
        }

        if (await RunOrRefusedAsync(run))
        {
            return false;
        }

        AssertEnforced(executor, attempts);
        return true;
    }

    /// <summary>An InvalidOperationException from Agent Passport, or a failed validation of Agent Passport's options.</summary>
    public static bool IsSetupRefusal(Exception e) =>
        (e is InvalidOperationException && IsFromAgentPassport(e))
        || (e is Microsoft.Extensions.Options.OptionsValidationException v && v.OptionsType.Assembly.GetName().Name!.StartsWith("AgentPassport", StringComparison.Ordinal));

    /// <summary>Runs; true when Agent Passport refused the configuration on first use (nothing ran, nothing allowed).</summary>
    public async Task<bool> RunOrRefusedAsync(Func<Task> run)
    {
        try
        {
            await run();
            return false;
        }
        catch (InvalidOperationException e) when (IsFromAgentPassport(e))
        {
            Assert.True(Bodies.Total == 0, $"Refused on first use ({e.Message}), but a body ran: {Bodies.Describe()}");
            Assert.DoesNotContain(Decisions(), d => d.Kind == PassportAuditEventKind.Allowed);
            return true;
        }
    }

    /// <summary>The run-time property: bodies iff allowed, one decision per attempt, each naming the executing agent.</summary>
    public void AssertEnforced(string? executor, params Attempt[] attempts)
    {
        var context = $"bodies: [{Bodies.Describe()}]; decisions: [{DescribeDecisions()}]";
        foreach (var body in attempts.Select(a => a.Body).Distinct())
        {
            Assert.True(attempts.Count(a => a.Body == body && a.Allowed) == Bodies.Runs(body), $"{body} ran {Bodies.Runs(body)} time(s); expected {attempts.Count(a => a.Body == body && a.Allowed)}. {context}");
        }

        Assert.True(attempts.Count(a => a.Allowed) == Bodies.Total, $"Unexpected bodies ran. {context}");
        // A body must never run on another agent's kernel (its nested calls would act with that agent's authority). A kernel
        // without any Passport is tolerated here: what its nested calls may do is checked by the nested attempts' counts.
        foreach (var (body, agent) in Bodies.Log.Where(l => l.Agent is not null))
        {
            Assert.True(agent == executor, $"{body} ran on the kernel of {agent}, not of the executing agent {executor ?? "<none>"}. {context}");
        }

        var decisions = Decisions();
        Assert.True(attempts.Length == decisions.Count, $"Expected exactly one decision per attempt ({attempts.Length}), got {decisions.Count}. {context}");
        Assert.All(decisions, d => Assert.True(d.AgentId == executor, $"A decision names {d.AgentId ?? "<none>"}, not the executing agent {executor}. {context}"));
        Assert.Equal(
            attempts.Select(a => a.Allowed ? PassportAuditEventKind.Allowed : PassportAuditEventKind.Denied).Order(),
            decisions.Select(d => d.Kind).Order());
        foreach (var a in attempts.Where(a => a.Scope is not null))
        {
            var kind = a.Allowed ? PassportAuditEventKind.Allowed : PassportAuditEventKind.Denied;
            Assert.True(decisions.Any(d => d.Kind == kind && d.RequiredScope == a.Scope), $"No {kind} decision for {a.Scope}. {context}");
        }
    }

    /// <summary>The error kind's name (compiles whether or not the enum has the member yet).</summary>
    public static string? KindName(PassportAuditEvent e) => e.ErrorKind?.ToString();

    /// <summary>An InvalidOperationException thrown by Agent Passport itself (not by the test or a framework).</summary>
    public static bool IsFromAgentPassport(Exception e)
    {
        var assembly = e.TargetSite?.DeclaringType?.Assembly;
        return assembly is not null && assembly != typeof(HeldOutWorld).Assembly
            && assembly.GetName().Name!.StartsWith("AgentPassport", StringComparison.Ordinal);
    }

    private static bool IsPromptName(string? toolName) =>
        toolName is not null && (toolName.StartsWith("InvokePrompt", StringComparison.Ordinal) || Regex.IsMatch(toolName, "^func[0-9a-fA-F]{32}$"));

    public void Dispose() => F.Dispose();
}

/// <summary>Counts real body executions, and which agent's kernel each kernel-function body ran on.</summary>
public sealed class BodyLog
{
    private readonly ConcurrentDictionary<string, int> _runs = new();

    public ConcurrentQueue<(string Body, string? Agent, bool HadKernel)> Entries { get; } = new();

    public IEnumerable<(string Body, string? Agent)> Log => Entries.Where(e => e.HadKernel).Select(e => (e.Body, e.Agent));

    public int Runs(string body) => _runs.TryGetValue(body, out var n) ? n : 0;

    public int Total => _runs.Values.Sum();

    public string Describe() => string.Join(", ", Entries.Select(e => e.HadKernel ? $"{e.Body}@{e.Agent ?? "<no Passport>"}" : e.Body));

    public string Hit(string body, Kernel? kernel)
    {
        _runs.AddOrUpdate(body, 1, (_, n) => n + 1);
        var passport = kernel?.GetPassport();
        Entries.Enqueue((body, passport is null ? null : HeldOutWorld.AgentOf(passport), kernel is not null));
        return $"{body} done";
    }
}

public sealed class HeldOutFlights(BodyLog log)
{
    [KernelFunction("book"), Description("Books a flight.")]
    public string Book(Kernel kernel, string item) => log.Hit("flights.book", kernel);
}

public sealed class HeldOutHotels(BodyLog log)
{
    [KernelFunction("book"), Description("Books a hotel.")]
    public string Book(Kernel kernel, string item) => log.Hit("hotels.book", kernel);
}

public sealed class HeldOutPayments(BodyLog log)
{
    [KernelFunction("charge"), Description("Charges a card.")]
    public string Charge(Kernel kernel, string item) => log.Hit("payments.charge", kernel);
}

/// <summary>A tool whose body makes a nested call on the kernel it was given: it books (flights:book) and then pays.</summary>
public sealed class HeldOutTrip(BodyLog log)
{
    [KernelFunction("book_and_pay"), Description("Books a trip and pays for it."), PassportScope("flights:book")]
    public async Task<string> BookAndPay(Kernel kernel, string item)
    {
        log.Hit("trip.book_and_pay", kernel);
        var paid = await kernel.InvokeAsync("payments", "charge", new KernelArguments { ["item"] = item });
        return "trip booked; payment: " + paid;
    }
}

/// <summary>A careless wrapper (logging, retries...) around any tool, as an application might add.</summary>
public sealed class LoggingAIFunction(AIFunction inner) : DelegatingAIFunction(inner)
{
    public int Calls { get; private set; }

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        Calls++;
        return base.InvokeCoreAsync(arguments, cancellationToken);
    }
}
