using AgentPassport;
using AgentPassport.SemanticKernel;
using Microsoft.Extensions.AI;
using MeaiFunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

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

    /// <summary>Throws <see cref="AgentPassportException"/> with the typed error when the Passport refused the call.</summary>
    /// <param name="result">The function result.</param>
    /// <returns>The same result when it was not refused.</returns>
    /// <exception cref="AgentPassportException">The call was refused.</exception>
    public static FunctionResult ThrowIfPassportDenied(this FunctionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.GetPassportDenial() is { } denial)
        {
            throw new AgentPassportException(denial.Error);
        }

        return result;
    }

    /// <summary>
    /// Gets the denials in a conversation: the <see cref="PassportDenial"/> results of refused tool calls, as Microsoft.Extensions.AI
    /// and Semantic Kernel loops leave them in <see cref="MeaiFunctionResultContent"/> items.
    /// </summary>
    /// <param name="messages">The messages (for example a <see cref="ChatResponse"/>'s messages).</param>
    /// <returns>The denials, in order.</returns>
    public static IReadOnlyList<PassportDenial> GetPassportDenials(this IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.SelectMany(m => m.Contents).OfType<MeaiFunctionResultContent>().Select(r => r.Result).OfType<PassportDenial>().ToList();
    }
}
