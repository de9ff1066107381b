using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;

namespace AgentPassport.ModelContextProtocol;

/// <summary>
/// Refuses, when the HTTP transport's options are built (at <c>MapMcp</c> or host start), the HTTP configurations in which
/// a call's handler does not run in the HTTP request that carried the call, so its <c>Authorization</c> header could be
/// read from another request (the stream opener's) or not at all.
/// </summary>
internal sealed class PassportMcpTransportGuard : IPostConfigureOptions<HttpServerTransportOptions>
{
    public void PostConfigure(string? name, HttpServerTransportOptions options)
    {
#pragma warning disable MCP9004 // reading the obsolete legacy settings is the point: they cannot be secured
#pragma warning disable MCP9006
        if (options.EnableLegacySse)
        {
            // Handlers of POST /message run in the GET /sse request: every call would be decided with the credentials of
            // whoever opened the stream.
            throw new InvalidOperationException(
                "Agent Passport cannot secure the legacy SSE transport (HttpServerTransportOptions.EnableLegacySse = true): every " +
                "POST /message would be decided with the credentials of the GET /sse request that opened the stream. Remove " +
                "EnableLegacySse and use Streamable HTTP (MapMcp's default), or the stdio transport with the Passport in each " +
                "request's _meta.");
        }

        if (options.PerSessionExecutionContext)
        {
            // Handlers would run in the initialize request's context, not in the request that carried the call.
            throw new InvalidOperationException(
                "Agent Passport cannot read each call's credentials with HttpServerTransportOptions.PerSessionExecutionContext = " +
                "true: tool handlers run outside the HTTP request that carried the call, so its Authorization header cannot " +
                "be read (or would be another request's). Remove PerSessionExecutionContext (the default, false, runs each " +
                "call in the execution context of its own request).");
        }
#pragma warning restore MCP9006
#pragma warning restore MCP9004
    }
}
