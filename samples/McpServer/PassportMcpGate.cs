using AgentPassport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpServerSample;

/// <summary>
/// MCP request filters that put the shared <see cref="PassportAuthorizer"/> in front of every tool: a call runs only if
/// the caller's Passport (and chain) verifies for this server and covers the tool's scope; tools/list shows only the tools
/// the Passport covers. The Passport travels as <c>Authorization: Bearer &lt;token&gt;</c>, its parents (root first) in
/// <c>Agent-Passport-Chain</c>, comma-separated.
/// </summary>
internal static class PassportMcpGate
{
    public const string ChainHeader = "Agent-Passport-Chain";

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> CallTool(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var authorizer = context.Services!.GetRequiredService<PassportAuthorizer>();
            string tool = context.Params?.Name ?? "";
            var decision = await authorizer.AuthorizeAsync(ReadPassport(context.Services!), tool,
                FlightTools.RequiredScopes.GetValueOrDefault(tool), cancellationToken);
            if (decision.IsAllowed)
            {
                return await next(context, cancellationToken);
            }

            // The tool never runs; the client gets an error result naming the typed failure (no token in it).
            return new CallToolResult
            {
                IsError = true,
                Content = [new TextContentBlock { Text = decision.ToModelText(includeDetails: true) }],
            };
        };

    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> ListTools(McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) =>
        async (context, cancellationToken) =>
        {
            var all = await next(context, cancellationToken);
            var authorizer = context.Services!.GetRequiredService<PassportAuthorizer>();
            var passport = ReadPassport(context.Services!);
            var verified = passport is null ? default : await authorizer.ValidateAsync(passport, cancellationToken);
            all.Tools = [.. all.Tools.Where(t => verified.Succeeded
                && FlightTools.RequiredScopes.TryGetValue(t.Name, out var scope)
                && PassportAuthorizer.Covers(verified.Passport, scope))];
            return all;
        };

    private static PassportContext? ReadPassport(IServiceProvider services)
    {
        var http = services.GetRequiredService<IHttpContextAccessor>().HttpContext;
        string? authorization = http?.Request.Headers.Authorization;
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || authorization.Length <= 7)
        {
            return null;
        }

        string chain = http!.Request.Headers[ChainHeader].ToString();
        return new PassportContext(authorization[7..].Trim(), chain.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
