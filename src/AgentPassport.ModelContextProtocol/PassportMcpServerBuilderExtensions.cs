using AgentPassport;
using AgentPassport.ModelContextProtocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Agent Passport enforcement to an MCP server.</summary>
public static class PassportMcpServerBuilderExtensions
{
    /// <summary>
    /// Adds the Passport call-tool and list-tools filters: each <c>tools/call</c> is verified (Passport and chain from the
    /// request, see <see cref="PassportMcpWire"/>; the tool's scope; this server's audience) by the shared
    /// <see cref="PassportAuthorizer"/> before the tool runs, a denial returns <c>CallToolResult { IsError = true }</c>, and
    /// <c>tools/list</c> lists only the tools the request's Passport allows. Register a <see cref="PassportAuthorizer"/>
    /// (or set <see cref="PassportMcpOptions.Authorizer"/>). Options are validated when the host starts (an authorizer is
    /// available, mapped scopes are concrete, the audience is not blank). HTTP transport settings under which a call's
    /// handler does not run in the HTTP request that carried it (<c>EnableLegacySse</c>; <c>PerSessionExecutionContext</c>
    /// in a stateful session) are refused with an <see cref="InvalidOperationException"/> when the transport is mapped
    /// or the host starts.
    /// </summary>
    /// <param name="builder">The MCP server builder.</param>
    /// <param name="configure">Audience and tool scopes.</param>
    /// <returns>The builder.</returns>
    public static IMcpServerBuilder AddAgentPassport(this IMcpServerBuilder builder, Action<PassportMcpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddOptions<PassportMcpOptions>()
            .Configure(o => configure?.Invoke(o))
            .Validate(o => o.ToolScopes.Values.All(IsConcrete), "PassportMcpOptions.ToolScopes values must be concrete scopes.")
            .Validate(o => o.Audience is null || !string.IsNullOrWhiteSpace(o.Audience), "PassportMcpOptions.Audience must not be blank.")
            .Validate<IServiceProvider>((o, sp) => o.Authorizer is not null || sp.GetService<PassportAuthorizer>() is not null,
                "Agent Passport for MCP needs a PassportAuthorizer: register one or set PassportMcpOptions.Authorizer.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<PassportMcpFilter>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HttpServerTransportOptions>, PassportMcpTransportGuard>());
        builder.Services.AddOptions<HttpServerTransportOptions>().ValidateOnStart();
        return builder.WithRequestFilters(filters => filters
            .AddCallToolFilter(next => (request, ct) => Filter(request.Services).CallToolAsync(request, next, ct))
            .AddListToolsFilter(next => (request, ct) => Filter(request.Services).ListToolsAsync(request, next, ct)));
    }

    // No service provider means no way to enforce: fail closed rather than run the tool.
    private static PassportMcpFilter Filter(IServiceProvider? services) =>
        services?.GetRequiredService<PassportMcpFilter>() ?? throw new InvalidOperationException("The MCP request has no service provider; Agent Passport cannot enforce.");

    private static bool IsConcrete(string scope) => PassportScope.TryParse(scope, out var parsed) && !parsed.IsPattern;
}
