using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentPassport.ModelContextProtocol;

/// <summary>
/// The MCP adapter over the shared <see cref="PassportAuthorizer"/>: a call-tool filter (each call verified for the tool's
/// scope and this server's audience; denied calls return <c>CallToolResult { IsError = true }</c> and the tool never runs)
/// and a list-tools filter (only tools the request's Passport allows are listed).
/// </summary>
internal sealed class PassportMcpFilter
{
    private readonly PassportAuthorizer _authorizer;
    private readonly string? _audience;
    private readonly bool _reserveAuthorization;
    private readonly PassportToolRequirementResolver _requirements;

    public PassportMcpFilter(IServiceProvider services, IOptions<PassportMcpOptions> options)
    {
        var o = options.Value;
        _authorizer = o.Authorizer ?? services.GetRequiredService<PassportAuthorizer>();
        _audience = o.Audience;
        _reserveAuthorization = o.ReserveAuthorizationHeader;
        _requirements = new PassportToolRequirementResolver(o.ToolScopes);
    }

    public async ValueTask<CallToolResult> CallToolAsync(RequestContext<CallToolRequestParams> request, McpRequestHandler<CallToolRequestParams, CallToolResult> next, CancellationToken cancellationToken)
    {
        var name = request.Params?.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            name = "<unnamed tool>";
        }

        // Look the tool up first: a name this server does not have is recorded as its own kind of event (the caller's
        // text, never a decision about a known tool) and is refused without running anything.
        var (known, scope, schema) = Lookup(request.Server, name, request.MatchedPrimitive as McpServerTool);
        var (context, malformed) = PassportMcpCredentials.Read(request, request.Params?.Meta, _audience, _reserveAuthorization);
        PassportDecision decision;
        if (!known)
        {
            decision = await _authorizer.RecordUnknownToolAsync(malformed is null ? context : null, name, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            decision = malformed is null
                ? await _authorizer.AuthorizeAsync(context, name, scope, ReadArguments(request.Params, schema), cancellationToken).ConfigureAwait(false)
                : await _authorizer.RecordDeniedAsync(null, name, malformed, null, scope, cancellationToken).ConfigureAwait(false);
        }

        if (decision.IsAllowed)
        {
            // The tool runs with the arguments the decision saw: a later filter cannot change them in place.
            if (request.Params?.Arguments is { } decided)
            {
                request.Params.Arguments = new ReadOnlyDictionary<string, JsonElement>(new Dictionary<string, JsonElement>(decided, StringComparer.Ordinal));
            }

            return await next(request, cancellationToken).ConfigureAwait(false);
        }

        return new CallToolResult
        {
            IsError = true,
            Content = [new TextContentBlock { Text = decision.ToModelText(_authorizer.IncludeDetailedDenials) }],
            Meta = new JsonObject { [PassportMcpWire.MetaDeniedKey] = true },
        };
    }

    public async ValueTask<ListToolsResult> ListToolsAsync(RequestContext<ListToolsRequestParams> request, McpRequestHandler<ListToolsRequestParams, ListToolsResult> next, CancellationToken cancellationToken)
    {
        var result = await next(request, cancellationToken).ConfigureAwait(false);
        var (context, malformed) = PassportMcpCredentials.Read(request, request.Params?.Meta, _audience, _reserveAuthorization);
        VerifiedPassport? verified = null;
        if (malformed is null && context is not null)
        {
            var validation = await _authorizer.ValidateAsync(context, cancellationToken).ConfigureAwait(false);
            verified = validation.Succeeded ? validation.Passport : null;
        }

        result.Tools = verified is null
            ? []
            : result.Tools.Where(t => PassportAuthorizer.Covers(verified, Lookup(request.Server, t.Name, null).Scope)).ToList();
        return result;
    }

    // The call's arguments as the tool will bind them: by its input schema (a number sent as a string is that number).
    private static PassportToolArguments ReadArguments(CallToolRequestParams? parameters, JsonElement? schema)
    {
        if (parameters?.Arguments is not { } arguments)
        {
            return PassportToolArguments.Empty;
        }

        var pairs = arguments.Select(a => new KeyValuePair<string, object?>(a.Key, a.Value));
        return schema is { } s ? PassportToolArgumentReader.Read(pairs, s) : PassportToolArguments.From(pairs);
    }

    // Known: mapped in the options (a tool a custom handler serves) or in the server's tool collection. The scope: the one
    // order (the map, then [PassportScope] on the tool's method or class); null (denied) when neither names one.
    private (bool Known, string? Scope, JsonElement? Schema) Lookup(McpServer server, string name, McpServerTool? matched)
    {
        var tool = matched;
        if (tool is null && server.ServerOptions.ToolCollection is { } tools && tools.TryGetPrimitive(name, out var found))
        {
            tool = found;
        }

        var schema = tool?.ProtocolTool.InputSchema;
        if (_requirements.Mapped(name) is { } mapped)
        {
            return (true, mapped.ToString(), schema);
        }

        // The tool's metadata lists its class's attributes, then its method's: the last one is the method's when it has one.
        return (tool is not null, tool is null ? null : _requirements.Resolve(name, attribute: tool.Metadata.OfType<PassportScopeAttribute>().LastOrDefault())?.ToString(), schema);
    }
}
