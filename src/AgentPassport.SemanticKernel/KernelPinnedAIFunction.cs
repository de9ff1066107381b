using AgentPassport.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel;

/// <summary>
/// A kernel function invoked by a loop outside the kernel, pinned to the agent's kernel: Semantic Kernel would otherwise
/// take the kernel from the loop's service provider (a DI kernel with no Passport filter) or from the function's own clone
/// (another agent's kernel), and the body and its nested calls would run there. The body always runs on the kernel of the
/// agent the call was decided for: this kernel, or — when the call was decided for another agent (a guard re-bound to the
/// executing agent) — a clone of it carrying that agent's Passport.
/// </summary>
internal sealed class KernelPinnedAIFunction(KernelFunction function, Kernel kernel) : DelegatingAIFunction(function)
{
    // The argument under which KernelFunction.InvokeAsync(AIFunctionArguments) looks for its kernel first, before the
    // arguments' services and the function's own clone (Semantic Kernel's internal AIFunctionArgumentsExtensions).
    private const string KernelArgumentKey = "AIFunctionArguments_Kernel";

    public Kernel Kernel { get; } = kernel;

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var executing = PassportToolCall.GetDecidedAgent(arguments);
        var target = executing is null || PassportToolGuards.IsSameAgent(executing, Kernel.GetPassport())
            ? Kernel
            : Kernel.Clone().SetPassport(executing);

        // Overwrites any value under this key, including one a model supplied as an argument.
        arguments[KernelArgumentKey] = target;
        return base.InvokeCoreAsync(arguments, cancellationToken);
    }
}
