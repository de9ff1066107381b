using AgentPassport;

namespace Microsoft.Extensions.AI;

/// <summary>
/// Carries an agent's Passport on one request (<see cref="ChatOptions.AdditionalProperties"/>) and a tool's required scope
/// on the tool (<see cref="AITool.AdditionalProperties"/>), for <c>ChatClientBuilder.UseAgentPassport</c>.
/// </summary>
public static class PassportChatOptionsExtensions
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key holding a request's <see cref="PassportContext"/>.</summary>
    public const string ContextPropertyName = "agent_passport.context";

    /// <summary>The <see cref="AITool.AdditionalProperties"/> key holding the concrete scope a tool requires (a string).</summary>
    public const string ScopePropertyName = "agent_passport.scope";

    /// <summary>
    /// Attaches an agent's Passport to this request; it takes precedence over the chat client's own. Any other value under
    /// <see cref="ContextPropertyName"/> is treated as no Passport (every tool call denied).
    /// </summary>
    /// <param name="options">The request's options.</param>
    /// <param name="context">The agent's Passport and chain.</param>
    /// <returns>The same options.</returns>
    public static ChatOptions WithPassport(this ChatOptions options, PassportContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        (options.AdditionalProperties ??= [])[ContextPropertyName] = context;
        return options;
    }

    /// <summary>Gets whether a Passport entry is present on this request and, if it is a <see cref="PassportContext"/>, the context.</summary>
    /// <param name="options">The request's options, or null.</param>
    /// <param name="context">The context, or null when the entry is absent or not a <see cref="PassportContext"/>.</param>
    /// <returns><see langword="true"/> when the request carries a Passport entry (valid or not).</returns>
    public static bool TryGetPassport(this ChatOptions? options, out PassportContext? context)
    {
        context = null;
        if (options?.AdditionalProperties?.TryGetValue(ContextPropertyName, out var value) is not true)
        {
            return false;
        }

        context = value as PassportContext;
        return true;
    }
}
