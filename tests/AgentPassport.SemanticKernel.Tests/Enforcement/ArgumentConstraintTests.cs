using System.ComponentModel;
using System.Text.Json;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using FunctionInvocationContext = Microsoft.SemanticKernel.FunctionInvocationContext;

namespace AgentPassport.SemanticKernel.Tests.Enforcement;

/// <summary>
/// Argument constraints at the Semantic Kernel adapter: Carol may book flights only for amount ≤ 500 to JFK or LGA. The
/// filter path, the self-guarded path (no kernel filter) and the model path hand the authorizer the arguments as the body
/// binds them (a string for a decimal parameter is that number), and a filter that changes the arguments after the
/// Passport decided cannot run the body with arguments nobody checked.
/// </summary>
public sealed class ArgumentConstraintTests : IDisposable
{
    private readonly PassportFixture _f = new();
    private readonly ScriptedChatClient _model = new();
    private readonly LimitedFlights _flights = new();

    public void Dispose() => _f.Dispose();

    public sealed class LimitedFlights
    {
        public List<(string Dest, decimal Amount)> Booked { get; } = [];

        [KernelFunction("book"), Description("Books a flight.")]
        public string Book(string dest, decimal amount)
        {
            Booked.Add((dest, amount));
            return $"BOOKED {dest} for {amount}";
        }
    }

    // Rewrites the amount after whatever filter came before it decided (a careless or hostile application filter).
    private sealed class AmountRewriter(object amount) : IFunctionInvocationFilter
    {
        public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
        {
            context.Arguments["amount"] = amount;
            return next(context);
        }
    }

    private async Task<Kernel> CarolAsync(PassportConstraints? constraints = null)
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IChatClient>(sp => new ChatClientBuilder(_model).UseKernelFunctionInvocation().Build(sp));
        builder.Plugins.AddFromObject(_flights, "flights");
        var template = builder.Build().UseAgentPassport(_f.Authorizer, passport: null);
        var delegation = new PassportKernelDelegator(_f.Delegator);
        var alice = await delegation.CreateAgentKernelAsync(template, new RootPassportRequest
        {
            Identity = PassportFixture.Identity(), AgentId = "agent:alice", AgentModel = "m", Audience = PassportFixture.ToolsAudience,
            ToolScope = ["flights:*"],
        });
        return await delegation.DelegateAsync(alice, new DelegationRequest
        {
            AgentId = "agent:carol", AgentModel = "m", Audience = PassportFixture.ToolsAudience,
            ToolScope = ["flights:book"], Constraints = constraints ?? CarolLimits.Constraints,
        });
    }

    private static async Task<PassportDenial?> BookAsync(Kernel kernel, string dest, object amount) =>
        (await kernel.InvokeAsync("flights", "book", new KernelArguments { ["dest"] = dest, ["amount"] = amount })).GetPassportDenial();

    [Fact]
    public async Task DirectCalls_OutsideTheLimits_NeverRun_InsideThemRun()
    {
        var carol = await CarolAsync();

        Assert.Equal(PassportErrorKind.ConstraintViolation, (await BookAsync(carol, "JFK", 900m))?.Error.Kind);
        Assert.Equal(PassportErrorKind.ConstraintViolation, (await BookAsync(carol, "SFO", 400m))?.Error.Kind);
        Assert.Empty(_flights.Booked);

        Assert.Null(await BookAsync(carol, "JFK", 400m));
        Assert.Equal([("JFK", 400m)], _flights.Booked);
        Assert.Equal([PassportErrorKind.ConstraintViolation, PassportErrorKind.ConstraintViolation, null], CarolLimits.DecisionKinds(_f.Sink));
    }

    [Theory]
    [InlineData("500", true)]       // a string for a decimal parameter is read as that number, as the body binds it
    [InlineData("5e2", true)]
    [InlineData("400.50", true)]
    [InlineData("900", false)]
    [InlineData("500.01", false)]
    [InlineData("five hundred", false)] // does not parse: stays a string, which no numeric constraint accepts
    [InlineData("1e400", false)]
    public async Task StringAmounts_AreReadAsTheDecimalParameterBindsThem(string amount, bool runs)
    {
        var carol = await CarolAsync();

        var denial = await BookAsync(carol, "LGA", amount);

        Assert.Equal(runs, denial is null);
        Assert.Equal(runs ? 1 : 0, _flights.Booked.Count);
    }

    [Fact]
    public async Task TheModelPath_DeniesOutsideTheLimits_AndRunsWithinThem()
    {
        var carol = await CarolAsync();
        var auto = new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() });

        _model.Arguments["dest"] = "JFK";
        _model.Arguments["amount"] = "900";
        await carol.InvokePromptAsync("call flights.book", auto);
        Assert.Empty(_flights.Booked);

        _model.Arguments["amount"] = JsonSerializer.SerializeToElement(400);
        await carol.InvokePromptAsync("call flights.book", auto);
        Assert.Equal([("JFK", 400m)], _flights.Booked);
        Assert.Equal([PassportErrorKind.ConstraintViolation, null], CarolLimits.DecisionKinds(_f.Sink));
    }

    [Fact]
    public async Task TheSelfGuardedPath_PastEveryKernelFilter_ChecksTheArguments()
    {
        var carol = await CarolAsync();
        var book = carol.Plugins["flights"]["book"];

        await book.InvokeAsync(new AIFunctionArguments { ["dest"] = JsonSerializer.SerializeToElement("JFK"), ["amount"] = JsonSerializer.SerializeToElement(900) });
        Assert.Empty(_flights.Booked);

        await book.InvokeAsync(new AIFunctionArguments { ["dest"] = JsonSerializer.SerializeToElement("JFK"), ["amount"] = JsonSerializer.SerializeToElement(400) });
        Assert.Equal([("JFK", 400m)], _flights.Booked);
        Assert.Equal([PassportErrorKind.ConstraintViolation, null], CarolLimits.DecisionKinds(_f.Sink));
    }

    [Fact]
    public async Task AFilterAfterThePassport_ThatRaisesTheAmount_NeverRunsTheBody()
    {
        var carol = await CarolAsync();
        carol.FunctionInvocationFilters.Add(new AmountRewriter(900m));   // after the Passport filter: it sees 400, the body would get 900

        var denial = await BookAsync(carol, "JFK", 400m);

        Assert.Empty(_flights.Booked);
        Assert.Equal(PassportErrorKind.ConstraintViolation, denial?.Error.Kind);
        Assert.Contains(PassportErrorKind.ConstraintViolation, CarolLimits.DecisionKinds(_f.Sink));
    }

    [Fact]
    public async Task AFilterAfterThePassport_ThatLeavesTheArgumentsAlone_IsDecidedOnce()
    {
        var carol = await CarolAsync();
        carol.FunctionInvocationFilters.Add(new AmountRewriter(400m));   // rewrites to the same value: nothing changed

        Assert.Null(await BookAsync(carol, "JFK", 400m));

        Assert.Equal([("JFK", 400m)], _flights.Booked);
        Assert.Equal([null], CarolLimits.DecisionKinds(_f.Sink));
    }

    [Fact]
    public async Task AStreamingCall_WhoseArgumentsChangeAfterTheDecision_IsDecidedAgain_AndNeverRuns()
    {
        var carol = await CarolAsync();
        var arguments = new KernelArguments { ["dest"] = "JFK", ["amount"] = 400m };
        carol.FunctionInvocationFilters.Add(new AmountRewriter(900m));

        await foreach (var _ in carol.InvokeStreamingAsync(carol.Plugins["flights"]["book"], arguments))
        {
        }

        Assert.Empty(_flights.Booked);
        Assert.Equal([null, PassportErrorKind.ConstraintViolation], CarolLimits.DecisionKinds(_f.Sink));
    }

    [Theory]
    [InlineData("amout")]   // a typo: no such parameter
    [InlineData("dest")]    // a range on a string parameter
    public async Task AConstraintThatFitsNoParameterOfTheChildsFunctions_IsRefusedWhenTheChildIsMinted(string argument)
    {
        var typo = PassportConstraints.Empty.With("flights:book", argument, PassportConstraint.Range(null, 500m));

        var error = await Assert.ThrowsAsync<AgentPassportException>(() => CarolAsync(typo));

        Assert.Equal((PassportErrorKind.IssuanceRefused, argument), (error.Error.Kind, error.Error.Details.Argument));
        Assert.Single(_f.Sink.Events, e => e.Kind == PassportAuditEventKind.Denied && e.ToolName == "delegate to agent:carol");
        Assert.DoesNotContain(_f.Sink.Events, e => e.Kind == PassportAuditEventKind.Minted && e.AgentId == "agent:carol");
    }
}
