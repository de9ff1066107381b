using AgentPassport;
using AgentPassport.SemanticKernel;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using SkFunctionResultContent = Microsoft.SemanticKernel.FunctionResultContent;

namespace Microsoft.SemanticKernel;

/// <summary>Reads Agent Passport denials from function results and chat messages.</summary>
public static class PassportFunctionResultExtensions
{
    /// <summary>Gets the denial of a function call the Passport refused, or null when it was not refused.</summary>
    /// <param name="result">The function result (from <c>kernel.InvokeAsync</c> or an auto-invocation filter).</param>
    /// <returns>The denial, or null.</returns>
    public static PassportDenial? GetPassportDenial(this FunctionResult? result)
    {
        if (result is null)
        {
            return null;
        }

        if (result.Metadata is { } metadata && metadata.TryGetValue(PassportFunctionInvocationFilter.DenialMetadataKey, out var value) && value is PassportDenial denial)
        {
            return denial;
        }

        return result.ValueType == typeof(PassportDenial) ? result.GetValue<PassportDenial>() : null;
    }

    /// <summary>
    /// Gets every denial a result carries: the denial of a directly invoked function, or the denials of the tool calls an
    /// auto-invocation loop refused (left in the returned <see cref="ChatResponse"/> or <see cref="ChatMessageContent"/>).
    /// </summary>
    /// <param name="result">The result of <c>kernel.InvokeAsync</c> or <c>kernel.InvokePromptAsync</c>.</param>
    /// <returns>The denials, in order; empty when nothing was refused.</returns>
    public static IReadOnlyList<PassportDenial> GetPassportDenials(this FunctionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.GetPassportDenial() is { } direct)
        {
            return [direct];
        }

        return result.ValueType switch
        {
            { } t when t == typeof(ChatResponse) => result.GetValue<ChatResponse>()!.Messages.GetPassportDenials(),
            { } t when typeof(ChatMessageContent).IsAssignableFrom(t) => Denials(result.GetValue<ChatMessageContent>()!),
            _ => [],
        };
    }

    /// <summary>Throws <see cref="AgentPassportException"/> with the typed error of the first denial the result carries.</summary>
    /// <param name="result">The result of <c>kernel.InvokeAsync</c> or <c>kernel.InvokePromptAsync</c>.</param>
    /// <returns>The same result when nothing was refused.</returns>
    /// <exception cref="AgentPassportException">A call was refused; <see cref="AgentPassportException.Kind"/> says why.</exception>
    public static FunctionResult ThrowIfPassportDenied(this FunctionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.GetPassportDenials() is [var denial, ..])
        {
            throw new AgentPassportException(denial.Error);
        }

        return result;
    }

    /// <summary>
    /// Gets the denials of refused tool calls in Semantic Kernel chat messages: a <see cref="ChatHistory"/> an
    /// auto-invocation loop filled, or the messages <c>IChatCompletionService.GetChatMessageContentsAsync</c> returned
    /// (a denial stops the loop, and the service returns that last tool message instead of adding it to the history).
    /// </summary>
    /// <param name="messages">The chat history or returned messages.</param>
    /// <returns>The denials, in order.</returns>
    public static IReadOnlyList<PassportDenial> GetPassportDenials(this IEnumerable<ChatMessageContent> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.SelectMany(Denials).ToList();
    }

    private static IReadOnlyList<PassportDenial> Denials(ChatMessageContent message) =>
        message.Items.OfType<SkFunctionResultContent>().Select(r => r.Result).OfType<PassportDenial>().ToList();
}
