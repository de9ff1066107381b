using AgentPassport.ModelContextProtocol;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Agent Passport enforcement to an MCP server from its own builder.</summary>
public static class PassportMcpServerBuilderExtensions
{
    /// <summary>
    /// The same as <c>services.AddAgentPassport(...).AddModelContextProtocol(configure)</c>'s MCP piece
    /// (<see cref="ModelContextProtocolAgentPassportBuilderExtensions.AddModelContextProtocol"/>), for code that configures the
    /// server on its <see cref="IMcpServerBuilder"/>. The shared services still come from <c>services.AddAgentPassport(...)</c>
    /// (or a registered <see cref="AgentPassport.PassportAuthorizer"/>, or <see cref="PassportMcpOptions.Authorizer"/>).
    /// </summary>
    /// <param name="builder">The MCP server builder.</param>
    /// <param name="configure">Audience and scope map.</param>
    /// <returns>The builder.</returns>
    public static IMcpServerBuilder AddAgentPassport(this IMcpServerBuilder builder, Action<PassportMcpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ModelContextProtocolAgentPassportBuilderExtensions.Register(builder.Services, configure);
        return builder;
    }
}
