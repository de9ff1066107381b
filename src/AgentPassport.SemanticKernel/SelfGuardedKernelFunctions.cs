using System.Collections.ObjectModel;
using AgentPassport.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel;

/// <summary>
/// Makes a Passport kernel's own plugin functions carry the check where their body runs. Semantic Kernel runs a kernel
/// function's filters only when a kernel invokes it; invoked as an <see cref="AIFunction"/> (a Microsoft.Extensions.AI loop,
/// <c>plugin.AsAIFunctions(kernel)</c>, an Agent Framework agent) the body runs on whatever kernel the arguments' services or
/// the clone name — or a fresh one — with no filter at all. So each plugin function of a Passport kernel is replaced by a
/// function of the same name, description and parameters whose body:
/// <list type="bullet">
/// <item>runs the original when the Passport filter of the invoking kernel allowed this very call (one decision);</item>
/// <item>runs the original on the executing agent's kernel when an outer Passport guard already decided this very call for
/// that agent (one decision; never on another agent's kernel);</item>
/// <item>otherwise decides now, for the agent of the running Agent Framework run or else the kernel it belongs to, and runs the
/// original on that agent's kernel only when allowed.</item>
/// </list>
/// Plugins are shared between <see cref="Kernel.Clone"/>s, so each kernel that is given a Passport gets its own plugin objects
/// bound to it (a clone's functions are never another agent's).
/// </summary>
internal static class SelfGuardedKernelFunctions
{
    // The metadata entry that marks a self-guarded function (it survives Semantic Kernel's clones) and holds its binding.
    private const string BindingKey = "AgentPassport.SelfGuarded";

    /// <summary>Gets the original function inside a self-guarded one, or null.</summary>
    public static KernelFunction? InnerOf(KernelFunction function) => BindingOf(function)?.Inner;

    /// <summary>
    /// Re-binds every plugin function of <paramref name="kernel"/> to it (a no-op for plugins already bound to it for the
    /// same Passport). With <see cref="PassportFunctionInvocationFilter.DescribeArgumentLimits"/>, each function's description
    /// states the limits of the kernel's Passport for the scope the function requires.
    /// </summary>
    public static void Bind(Kernel kernel, PassportFunctionInvocationFilter filter)
    {
        var describeFor = filter.DescribeArgumentLimits ? kernel.GetPassport() : null;
        var claims = describeFor is null ? null : DecodeForDisplay(describeFor);
        foreach (var plugin in kernel.Plugins.ToList())
        {
            if (plugin.All(f => BindingOf(f) is { } b && ReferenceEquals(b.Home, kernel) && ReferenceEquals(b.DescribedFor, describeFor)))
            {
                continue;
            }

            var functions = plugin.Select(f =>
            {
                var inner = InnerOf(f) ?? f;
                var limits = claims is null ? null : PassportArgumentLimits.Describe(claims, filter.GetRequiredScope(inner));
                return Create(new Binding(inner, kernel, filter) { DescribedFor = describeFor }, limits);
            }).ToList();
            kernel.Plugins.Remove(plugin);
            kernel.Plugins.Add(KernelPluginFactory.CreateFromFunctions(plugin.Name, plugin.Description, functions));
        }
    }

    private static Binding? BindingOf(KernelFunction function) =>
        function.Metadata.AdditionalProperties.TryGetValue(BindingKey, out var value) ? value as Binding : null;

    // The text told to the model is a courtesy, not a decision: it is read from the kernel's own Passport without verifying it
    // (as `inspect` displays one), and every call is verified and checked as always. A token that does not decode: no text.
    private static Passport? DecodeForDisplay(PassportContext passport)
    {
        try
        {
            return PassportReader.DecodeUnverified(passport.Token);
        }
        catch (AgentPassportException)
        {
            return null;
        }
    }

    private static KernelFunction Create(Binding binding, string? limits)
    {
        var inner = binding.Inner;
        var metadata = new Dictionary<string, object?>(inner.Metadata.AdditionalProperties) { [BindingKey] = binding };
        return KernelFunctionFactory.CreateFromMethod(
            binding.InvokeAsync,
            new KernelFunctionFromMethodOptions
            {
                FunctionName = inner.Name,
                Description = limits is null ? inner.Description : PassportArgumentLimits.Append(inner.Description, limits),
                Parameters = inner.Metadata.Parameters,
                ReturnParameter = inner.Metadata.ReturnParameter,
                AdditionalMetadata = new ReadOnlyDictionary<string, object?>(metadata),
            });
    }

    private sealed class Binding(KernelFunction inner, Kernel home, PassportFunctionInvocationFilter filter)
    {
        public KernelFunction Inner { get; } = inner;

        public Kernel Home { get; } = home;

        // The Passport whose argument limits the description states (null when it states none).
        public PassportContext? DescribedFor { get; init; }

        // Semantic Kernel binds these parameters itself: the invoking kernel, the call's arguments, the function instance.
        public async Task<FunctionResult> InvokeAsync(Kernel kernel, KernelArguments arguments, KernelFunction self, CancellationToken cancellationToken)
        {
            // The invoking kernel's Passport filter allowed exactly this call: run it there.
            // Each ticket is honoured only for the arguments its decision saw, as the body will receive them; changed ones are
            // decided again for the agent that decided, on its kernel — never for another agent this function is bound to.
            var current = KernelArgumentReader.Read(self, arguments);
            var match = PassportKernelCallTicket.TryTakeAllowed(self, arguments, kernel, current);
            if (match != PassportKernelCallTicket.TicketMatch.None)
            {
                return await DecideAndRunAsync(kernel, self, arguments, current, decided: match == PassportKernelCallTicket.TicketMatch.Same, cancellationToken);
            }

            // An outer Passport guard (chat client, agent, GuardAIFunctions) decided exactly this call for an agent: run it
            // on that agent's kernel, whichever kernel Semantic Kernel picked from the arguments' services or the clone.
            if (PassportToolCall.TryGetDecidedAgent(self, current, out var decidedFor, out var changed))
            {
                return await DecideAndRunAsync(KernelOf(decidedFor, kernel), self, arguments, current, decided: !changed, cancellationToken);
            }

            // Nothing decided this call (a loop or caller that skips kernel filters): decide now, for the running agent or
            // else this kernel's agent, and run on that agent's kernel only when allowed.
            var executing = PassportToolCall.ExecutingAgent ?? Home.GetPassport();
            var target = executing is null ? Home : KernelOf(executing, candidate: null);
            return await DecideAndRunAsync(target, self, arguments, current, decided: false, cancellationToken);
        }

        private async Task<FunctionResult> DecideAndRunAsync(Kernel target, KernelFunction self, KernelArguments arguments, PassportToolArguments current, bool decided, CancellationToken cancellationToken)
        {
            if (!decided && await filter.DenyAsync(target, self, current, cancellationToken) is { } denied)
            {
                return denied;
            }

            // Every path runs the body the same way: nested calls inside it are decided afresh (see PassportToolCall.RunBodyAsync).
            return await PassportToolCall.RunBodyAsync(ct => RunDecidedAsync(target, arguments, current, ct), cancellationToken);
        }

        private async Task<FunctionResult> RunDecidedAsync(Kernel kernel, KernelArguments arguments, PassportToolArguments decided, CancellationToken cancellationToken)
        {
            using (PassportKernelCallTicket.PreDecided(Inner, arguments, decided))
            {
                return await Inner.InvokeAsync(kernel, arguments, cancellationToken);
            }
        }

        // The kernel carrying the agent's Passport: the candidate when it is that agent's Passport kernel, else this kernel,
        // else a clone of this kernel given that agent's Passport.
        private Kernel KernelOf(PassportContext agent, Kernel? candidate)
        {
            if (candidate is not null && PassportToolGuards.IsSameAgent(candidate.GetPassport(), agent) && candidate.FunctionInvocationFilters.Contains(filter))
            {
                return candidate;
            }

            return PassportToolGuards.IsSameAgent(Home.GetPassport(), agent) ? Home : Home.Clone().SetPassport(agent);
        }
    }
}
