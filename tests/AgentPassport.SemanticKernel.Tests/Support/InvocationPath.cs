namespace AgentPassport.SemanticKernel.Tests.Support;

/// <summary>Every way a tool call can reach a kernel function (the field notes' list).</summary>
public enum InvocationPath
{
    /// <summary>SK auto-invocation: the kernel's IChatClient wrapped with UseKernelFunctionInvocation.</summary>
    SkAutoInvocation,

    /// <summary>SK auto-invocation, streaming (InvokePromptStreamingAsync).</summary>
    SkAutoInvocationStreaming,

    /// <summary>kernel.InvokeAsync(plugin, function).</summary>
    DirectKernelInvoke,

    /// <summary>The Microsoft.Extensions.AI UseFunctionInvocation loop with the kernel functions as tools (guarded).</summary>
    MeaiLoopWithKernelFunctions,

    /// <summary>plugin.AsAIFunctions(kernel) in the Microsoft.Extensions.AI loop (guarded).</summary>
    PluginAsAIFunctions,

    /// <summary>kernelFunction.AsAIFunction(kernel) (obsolete) in the Microsoft.Extensions.AI loop: the kernel's filter binds.</summary>
    KernelBoundAsAIFunction,

    /// <summary>A Microsoft Agent Framework ChatClientAgent with the kernel functions as tools (guarded).</summary>
    AgentFrameworkChatClientAgent,
}
