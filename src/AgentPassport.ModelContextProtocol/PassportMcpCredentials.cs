using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using ModelContextProtocol.Server;

namespace AgentPassport.ModelContextProtocol;

/// <summary>Reads the Passport and chain a request carries (<see cref="PassportMcpWire"/>). Never logs or returns a token in an error.</summary>
internal static class PassportMcpCredentials
{
    /// <summary>The caller's context (null: no Passport), or the error of a malformed credential.</summary>
    public static (PassportContext? Context, PassportError? Error) Read<TParams>(RequestContext<TParams> request, JsonObject? meta, string? audience)
    {
        var (headerToken, headerChain, headerError) = FromHttp(request.Services);
        if (headerError is not null)
        {
            return (null, headerError);
        }

        var (metaToken, metaChain, metaError) = FromMeta(meta);
        if (headerToken is not null && metaToken is not null && !string.Equals(headerToken, metaToken, StringComparison.Ordinal))
        {
            return (null, Malformed("the request carries two different Passports (Authorization header and _meta)"));
        }

        if (headerToken is not null)
        {
            return (new PassportContext(headerToken, headerChain, audience), null);
        }

        if (metaError is not null)
        {
            return (null, metaError);
        }

        return metaToken is null ? (null, null) : (new PassportContext(metaToken, metaChain, audience), null);
    }

    private static (string? Token, string[] Chain, PassportError? Error) FromHttp(IServiceProvider? services)
    {
        var http = services?.GetService<IHttpContextAccessor>()?.HttpContext;
        if (http is null || !http.Request.Headers.TryGetValue("Authorization", out var authorization))
        {
            return (null, [], null);
        }

        if (authorization.Count != 1
            || authorization[0] is not { } value
            || !value.StartsWith(PassportMcpWire.AuthorizationScheme + " ", StringComparison.OrdinalIgnoreCase)
            || value[(PassportMcpWire.AuthorizationScheme.Length + 1)..].Trim() is not { Length: > 0 } token
            || token.Contains(' ', StringComparison.Ordinal))
        {
            return (null, [], Malformed("the Authorization header is not 'Bearer <passport>'"));
        }

        var chain = http.Request.Headers.TryGetValue(PassportMcpWire.ChainHeaderName, out var parents) ? Split(parents) : [];
        return chain is null ? (null, [], Malformed($"the {PassportMcpWire.ChainHeaderName} header has an empty entry")) : (token, chain, null);
    }

    private static (string? Token, string[] Chain, PassportError? Error) FromMeta(JsonObject? meta)
    {
        if (meta is null || !meta.TryGetPropertyValue(PassportMcpWire.MetaTokenKey, out var tokenNode))
        {
            return (null, [], null);
        }

        if (tokenNode is not JsonValue tokenValue || tokenValue.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(tokenValue.GetValue<string>()))
        {
            return (null, [], Malformed($"_meta[\"{PassportMcpWire.MetaTokenKey}\"] is not a non-empty string"));
        }

        var chain = new List<string>();
        if (meta.TryGetPropertyValue(PassportMcpWire.MetaChainKey, out var chainNode) && chainNode is not null)
        {
            if (chainNode is not JsonArray array)
            {
                return (null, [], Malformed($"_meta[\"{PassportMcpWire.MetaChainKey}\"] is not an array of strings"));
            }

            foreach (var item in array)
            {
                if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetValue<string>()))
                {
                    return (null, [], Malformed($"_meta[\"{PassportMcpWire.MetaChainKey}\"] has an entry that is not a non-empty string"));
                }

                chain.Add(v.GetValue<string>());
            }
        }

        return (tokenValue.GetValue<string>(), [.. chain], null);
    }

    // Null when an entry is empty (",," or a trailing comma): a malformed chain is refused, never silently shortened.
    private static string[]? Split(StringValues values)
    {
        var parts = string.Join(',', values.ToArray()).Split(',', StringSplitOptions.TrimEntries);
        return parts.Any(p => p.Length == 0) ? null : parts;
    }

    private static PassportError Malformed(string message) => AgentPassportException.Create(PassportErrorKind.InvalidToken, message).Error;
}
