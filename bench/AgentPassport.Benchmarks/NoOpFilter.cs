using Microsoft.SemanticKernel;

namespace AgentPassport.Benchmarks;

/// <summary>A filter that only calls <c>next</c>: what any filter costs in Semantic Kernel itself.</summary>
public sealed class NoOpFilter : IFunctionInvocationFilter
{
    public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next) => next(context);
}
