using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// Reads what the Passport guards around the current tool call decided, for a tool that has to run on the right agent's
/// resources (the Semantic Kernel adapter's kernel functions). Read-only: nothing here marks a call as decided.
/// </summary>
public static class PassportToolCall
{
    /// <summary>Gets the agent whose run is executing (set by <see cref="PassportToolCallGuard.RunAsync{TResult}"/>), or null; null inside a tool body.</summary>
    public static PassportContext? ExecutingAgent => PassportExecution.Current;

    /// <summary>Gets the agent a Passport guard allowed this call for, as the guard hands it to the tool's body, or null.</summary>
    /// <param name="arguments">The arguments the tool's body received.</param>
    /// <returns>The agent the call was decided for, or null when no guard decided it.</returns>
    public static PassportContext? GetDecidedAgent(AIFunctionArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return arguments.Context?.TryGetValue(PassportToolGate.ExecutingAgentKey, out var value) == true ? value as PassportContext : null;
    }

    /// <summary>
    /// Gets the agent an outer Passport guard allowed the current call for, when <paramref name="function"/> is inside that
    /// guard (a leaf that receives a copy of the call's arguments, as a kernel function does). The decision holds only for
    /// the arguments it saw: when <paramref name="argumentsChanged"/> is true, decide the call again for the agent returned.
    /// Run the body with <see cref="RunBodyAsync{TResult}"/>, so that its own nested calls are decided afresh.
    /// </summary>
    /// <param name="function">The function being invoked.</param>
    /// <param name="arguments">The call's arguments as the body will receive them.</param>
    /// <param name="agent">The agent the call was decided for.</param>
    /// <param name="argumentsChanged">True when <paramref name="arguments"/> differ from those the decision saw.</param>
    /// <returns>True when an outer guard decided this call; false: decide it now.</returns>
    public static bool TryGetDecidedAgent(AIFunction function, PassportToolArguments arguments, [NotNullWhen(true)] out PassportContext? agent, out bool argumentsChanged)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        agent = PassportCallTicket.TryConsumeInside(function, arguments, out argumentsChanged);
        return agent is not null;
    }

    /// <summary>
    /// Runs the body of a decided call as every Passport guard runs one: with any pending decision withdrawn and no agent
    /// executing, so the body's own nested calls are decided afresh, for the agent whose Passport layer runs them.
    /// </summary>
    /// <typeparam name="TResult">The body's result.</typeparam>
    /// <param name="body">The body.</param>
    /// <param name="cancellationToken">Passed to <paramref name="body"/>.</param>
    /// <returns>The body's result.</returns>
    public static async Task<TResult> RunBodyAsync<TResult>(Func<CancellationToken, Task<TResult>> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        using (PassportCallTicket.Suspend())
        using (PassportExecution.EnterToolBody())
        {
            return await body(cancellationToken);
        }
    }
}
