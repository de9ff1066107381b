using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI.Tests;

/// <summary>
/// The public seam agent adapters are built on: every call it runs is decided once for its agent, and none of its members
/// (nor <see cref="PassportToolCall"/>'s) lets a caller mark a call as decided.
/// </summary>
public sealed class PassportToolCallGuardTests : IDisposable
{
    private readonly PassportFixture _f = new();
    private int _runs;

    public void Dispose() => _f.Dispose();

    private AIFunction Tool(string name) => AIFunctionFactory.Create((string item) => $"{name} {item} {++_runs}", name);

    private PassportToolCallGuard Guard(PassportContext context) =>
        new(_f.Authorizer, context, new Dictionary<string, string> { ["flights_book"] = "flights:book", ["payments_charge"] = "payments:charge" });

    private static FunctionInvocationContext Call(AIFunction function) =>
        new() { Function = function, Arguments = new AIFunctionArguments { ["item"] = "x" } };

    private static ValueTask<object?> RunFunction(FunctionInvocationContext invocation, CancellationToken cancellationToken) =>
        invocation.Function.InvokeAsync(invocation.Arguments, cancellationToken);

    [Fact]
    public async Task InvokeAsync_DeniedCall_NeverRunsNext_AndIsAuditedOnce()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();

        var result = await Guard(carol).InvokeAsync(Call(Tool("payments_charge")), RunFunction);

        Assert.Equal(PassportErrorKind.ScopeViolation, Assert.IsType<PassportDenial>(result).Error.Kind);
        Assert.Equal(0, _runs);
        Assert.Equal(["agent:carol denied payments:charge"], _f.Decisions());
    }

    [Fact]
    public async Task InvokeAsync_AToolGuardedForAnotherAgent_IsDecidedOnceForThisAgent()
    {
        var (alice, _, carol) = await _f.AliceBobCarolAsync();
        var alicesTool = new PassportGuardedAIFunction(Tool("flights_book"), _f.Authorizer, alice, "flights:book");

        var result = await Guard(carol).InvokeAsync(Call(alicesTool), RunFunction);

        Assert.IsNotType<PassportDenial>(result);
        Assert.Equal(1, _runs);
        Assert.Equal(["agent:carol allowed flights:book"], _f.Decisions());
    }

    [Fact]
    public async Task IsGuarded_IsTrueOnlyForThisAgentsOwnGuard()
    {
        var (alice, _, carol) = await _f.AliceBobCarolAsync();
        var tool = Tool("flights_book");

        Assert.False(Guard(carol).IsGuarded(tool));
        Assert.False(Guard(carol).IsGuarded(new PassportGuardedAIFunction(tool, _f.Authorizer, alice, "flights:book")));
        Assert.True(Guard(carol).IsGuarded(new PassportGuardedAIFunction(tool, _f.Authorizer, carol, "flights:book")));
    }

    [Fact]
    public async Task RunAsync_NamesTheExecutingAgent_OnlyForTheRun()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();

        var during = await Guard(carol).RunAsync(_ => Task.FromResult(PassportToolCall.ExecutingAgent));

        Assert.Same(carol, during);
        Assert.Null(PassportToolCall.ExecutingAgent);
    }

    [Fact]
    public async Task A_decision_is_visible_only_inside_the_allowed_call_and_withdrawn_for_the_body()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var tool = Tool("flights_book");
        (bool Inside, bool InBody, PassportContext? Handed) seen = default;

        await Guard(carol).InvokeAsync(Call(tool), async (invocation, ct) =>
        {
            var inside = PassportToolCall.TryGetDecidedAgent(tool, PassportToolArguments.Empty, out _, out _);
            var inBody = await PassportToolCall.RunBodyAsync(token => Task.FromResult(PassportToolCall.TryGetDecidedAgent(tool, PassportToolArguments.Empty, out _, out _)), ct);
            seen = (inside, inBody, PassportToolCall.GetDecidedAgent(invocation.Arguments));
            return null;
        });

        Assert.Equal((true, false, carol), seen);
        Assert.False(PassportToolCall.TryGetDecidedAgent(tool, PassportToolArguments.Empty, out _, out _));
    }

    [Fact]
    public async Task GetDecidedAgent_IgnoresAnythingACallerPutInTheArguments()
    {
        var (alice, _, _) = await _f.AliceBobCarolAsync();
        var arguments = new AIFunctionArguments { ["ExecutingAgentKey"] = alice };
        arguments.Context = new Dictionary<object, object?> { ["ExecutingAgentKey"] = alice, [new object()] = alice };

        Assert.Null(PassportToolCall.GetDecidedAgent(arguments));
    }
}
