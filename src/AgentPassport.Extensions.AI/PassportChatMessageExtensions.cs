using AgentPassport;

namespace Microsoft.Extensions.AI;

/// <summary>Reads Agent Passport denials from a conversation.</summary>
public static class PassportChatMessageExtensions
{
    /// <summary>
    /// Gets the denials in a conversation: the <see cref="PassportDenial"/> results of refused tool calls, as
    /// <see cref="FunctionInvokingChatClient"/> loops (and Agent Framework agents) leave them in <see cref="FunctionResultContent"/> items.
    /// </summary>
    /// <param name="messages">The messages (for example a <see cref="ChatResponse"/>'s messages).</param>
    /// <returns>The denials, in order; empty when nothing was refused.</returns>
    public static IReadOnlyList<PassportDenial> GetPassportDenials(this IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result).OfType<PassportDenial>().ToList();
    }
}
