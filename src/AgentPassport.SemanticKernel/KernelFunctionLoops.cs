using System.Reflection;
using AgentPassport.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentPassport.SemanticKernel;

/// <summary>
/// Refuses, when a kernel is given a Passport, a chat pipeline in which Microsoft.Extensions.AI's own function-invocation
/// loop (<c>UseFunctionInvocation</c>) would run the kernel's functions: that loop calls them as plain <see cref="AIFunction"/>s,
/// past every kernel filter, so no Passport could be checked. Only Semantic Kernel's loop (<c>UseKernelFunctionInvocation</c>)
/// runs the filters.
/// </summary>
internal static class KernelFunctionLoops
{
    private static readonly Assembly SemanticKernelAssembly = typeof(Kernel).Assembly;

    public static void EnsureSecurable(Kernel kernel)
    {
        foreach (var client in kernel.GetAllServices<IChatClient>())
        {
            Check(client);
        }

        foreach (var service in kernel.GetAllServices<IChatCompletionService>())
        {
            // A chat client adapted with AsChatCompletionService() keeps the client in a field: check that pipeline too.
            foreach (var field in service.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public))
            {
                if (typeof(IChatClient).IsAssignableFrom(field.FieldType) && field.GetValue(service) is IChatClient wrapped)
                {
                    Check(wrapped);
                }
            }
        }
    }

    private static void Check(IChatClient client)
    {
        foreach (var layer in PassportChatPipeline.Layers(client))
        {
            if (layer is FunctionInvokingChatClient loop && loop.GetType().Assembly != SemanticKernelAssembly)
            {
                throw new InvalidOperationException(
                    $"This kernel's chat client contains {loop.GetType().Name} (Microsoft.Extensions.AI's UseFunctionInvocation loop), which would run the " +
                    "kernel's functions without Semantic Kernel's filters, so their Passport checks would be skipped. Build the kernel's chat client with " +
                    ".UseKernelFunctionInvocation() instead of .UseFunctionInvocation(); to use kernel functions in a Microsoft.Extensions.AI loop " +
                    "outside the kernel, pass kernel.GetPassportToolsAsync() or kernel.GuardAIFunctions(...) as that loop's tools.");
            }
        }
    }
}
