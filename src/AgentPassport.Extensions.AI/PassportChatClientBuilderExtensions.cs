using AgentPassport;
using AgentPassport.Extensions.AI;

namespace Microsoft.Extensions.AI;

/// <summary>Adds Agent Passport enforcement to a chat client pipeline.</summary>
public static class PassportChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="PassportChatClient"/>: every tool in <see cref="ChatOptions.Tools"/> is guarded by the Passport, and
    /// only allowed tools are offered. Call it <b>before</b> <c>UseFunctionInvocation()</c>
    /// (<c>builder.UseAgentPassport().UseFunctionInvocation()</c>); the other order is refused when a request carries tools.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="authorizer">The shared enforcement path; resolved from the builder's services when null.</param>
    /// <param name="context">The agent's Passport; resolved from the services (optional) when null. A request's own Passport takes precedence.</param>
    /// <param name="configure">Configures the client (scope map, resolver, advertising, termination).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">At build time: no authorizer was given or registered.</exception>
    /// <exception cref="ArgumentException">At build time: a mapped scope is not a concrete scope.</exception>
    public static ChatClientBuilder UseAgentPassport(this ChatClientBuilder builder, PassportAuthorizer? authorizer = null, PassportContext? context = null, Action<PassportChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var resolved = authorizer
                ?? services.GetService(typeof(PassportAuthorizer)) as PassportAuthorizer
                ?? throw new InvalidOperationException("UseAgentPassport needs a PassportAuthorizer: pass one or register it in the service collection.");
            var client = new PassportChatClient(inner, resolved, context ?? services.GetService(typeof(PassportContext)) as PassportContext);
            configure?.Invoke(client);
            client.EnsureConfigured();
            return client;
        });
    }
}
