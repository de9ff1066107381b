using AgentPassport;
using AgentPassport.ModelContextProtocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Model Context Protocol piece to Agent Passport's registration.</summary>
public static class ModelContextProtocolAgentPassportBuilderExtensions
{
    /// <summary>
    /// Adds the Passport call-tool and list-tools filters to the MCP server in these services: each <c>tools/call</c> is
    /// verified (Passport and chain from the request, see <see cref="PassportMcpWire"/>; the tool's scope; this server's
    /// audience) by the shared <see cref="PassportAuthorizer"/> before the tool runs, a denial returns
    /// <c>CallToolResult { IsError = true }</c>, and <c>tools/list</c> lists only the tools the request's Passport allows.
    /// Options are validated when the host starts (an authorizer is available, mapped scopes are concrete, the audience is
    /// not blank). HTTP transport settings under which a call's handler does not run in the HTTP request that carried it
    /// (<c>EnableLegacySse</c>; <c>PerSessionExecutionContext</c> in a stateful session) are refused with an
    /// <see cref="InvalidOperationException"/> when the transport is mapped or the host starts.
    /// </summary>
    /// <param name="builder">The builder <c>services.AddAgentPassport(...)</c> returned.</param>
    /// <param name="configure">Audience and scope map.</param>
    /// <returns>The same builder.</returns>
    public static AgentPassportBuilder AddModelContextProtocol(this AgentPassportBuilder builder, Action<PassportMcpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Register(builder.Services, configure);
        return builder;
    }

    internal static void Register(IServiceCollection services, Action<PassportMcpOptions>? configure)
    {
        services.AddHttpContextAccessor();
        services.AddOptions<PassportMcpOptions>()
            .Configure(o => configure?.Invoke(o))
            .Validate(o => o.ToolScopes.Values.All(s => PassportToolRequirement.TryParse(s, out _, out _)), "PassportMcpOptions.ToolScopes values must be concrete scopes.")
            .Validate(o => o.Audience is null || !string.IsNullOrWhiteSpace(o.Audience), "PassportMcpOptions.Audience must not be blank.")
            .Validate<IServiceProvider>((o, sp) => o.Authorizer is not null || sp.GetService<PassportAuthorizer>() is not null,
                "Agent Passport for MCP needs a PassportAuthorizer: call services.AddAgentPassport(...), register one, or set PassportMcpOptions.Authorizer.")
            .ValidateOnStart();
        if (services.Any(d => d.ServiceType == typeof(PassportMcpFilter)))
        {
            return;
        }

        services.AddSingleton<PassportMcpFilter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HttpServerTransportOptions>, PassportMcpTransportGuard>());
        services.AddOptions<HttpServerTransportOptions>().ValidateOnStart();
        services.Configure<McpServerOptions>(o =>
        {
            o.Filters.Request.CallToolFilters.Add(next => (request, ct) => Filter(request.Services).CallToolAsync(request, next, ct));
            o.Filters.Request.ListToolsFilters.Add(next => (request, ct) => Filter(request.Services).ListToolsAsync(request, next, ct));
        });
    }

    // No service provider means no way to enforce: fail closed rather than run the tool.
    private static PassportMcpFilter Filter(IServiceProvider? services) =>
        services?.GetRequiredService<PassportMcpFilter>() ?? throw new InvalidOperationException("The MCP request has no service provider; Agent Passport cannot enforce.");
}
