using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// Checks every function a <see cref="FunctionInvokingChatClient"/> executes, where it executes it. A Passport layer that
/// sits outside the loop guards the tools in the options it passes down, but a layer between it and the loop (a
/// <c>ConfigureOptions</c> client, a run's factory) can add tools after that: the loop's <see cref="FunctionInvokingChatClient.FunctionInvoker"/>
/// is chained so that, during a request that a Passport layer runs, a function not already guarded for that request's
/// agent is guarded for it before it runs (one decision: a function already guarded for the agent keeps its own).
/// </summary>
internal static class PassportLoopGuard
{
    private static readonly AsyncLocal<Func<AIFunction, AIFunction>?> Active = new();
    private static readonly ConditionalWeakTable<FunctionInvokingChatClient, Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>>> Installed = new();

    /// <summary>Chains the Passport check into the loop's function invoker (again if the application replaced it since).</summary>
    public static void Install(FunctionInvokingChatClient loop)
    {
        lock (Installed)
        {
            if (Installed.TryGetValue(loop, out var ours) && ReferenceEquals(loop.FunctionInvoker, ours))
            {
                return;
            }

            var previous = loop.FunctionInvoker;
            ours = (context, cancellationToken) =>
            {
                if (Active.Value is { } guard)
                {
                    context.Function = guard(context.Function);
                }

                return previous is null ? context.Function.InvokeAsync(context.Arguments, cancellationToken) : previous(context, cancellationToken);
            };
            Installed.AddOrUpdate(loop, ours);
            loop.FunctionInvoker = ours;
        }
    }

    /// <summary>Makes <paramref name="guard"/> (a tool → the tool guarded for the request's agent) apply until disposed.</summary>
    public static Scope Enter(Func<AIFunction, AIFunction>? guard)
    {
        var previous = Active.Value;
        Active.Value = guard;
        return new Scope(previous);
    }

    /// <summary>Runs <paramref name="stream"/> with <paramref name="guard"/> active during each step (an async iterator does not keep it).</summary>
    public static async IAsyncEnumerable<T> EnumerateAsync<T>(IAsyncEnumerable<T> stream, Func<AIFunction, AIFunction> guard, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerator<T> enumerator;
        using (Enter(guard))
        {
            enumerator = stream.GetAsyncEnumerator(cancellationToken);
        }

        await using (enumerator)
        {
            while (true)
            {
                bool more;
                using (Enter(guard))
                {
                    more = await enumerator.MoveNextAsync();
                }

                if (!more)
                {
                    yield break;
                }

                yield return enumerator.Current;
            }
        }
    }

    /// <summary>Restores the previous guard.</summary>
    public readonly struct Scope(Func<AIFunction, AIFunction>? previous) : IDisposable
    {
        public void Dispose() => Active.Value = previous;
    }
}
