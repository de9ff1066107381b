using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using ModelContextProtocol.Server;

namespace AgentPassport.ModelContextProtocol;

/// <summary>
/// Reads the Passport and chain a request carries (<see cref="PassportMcpWire"/>). Sizes are checked on the raw input
/// (<see cref="PassportInputLimits"/>) before any string is split or copied; each token is copied once. Never logs or
/// returns a token in an error.
/// </summary>
internal static class PassportMcpCredentials
{
    private static readonly int MaxAuthorizationLength = PassportMcpWire.AuthorizationScheme.Length + 1 + PassportLimits.MaxTokenBytes + 64;

    /// <summary>The caller's context (null: no Passport), or the error of a malformed credential.</summary>
    public static (PassportContext? Context, PassportError? Error) Read<TParams>(RequestContext<TParams> request, JsonObject? meta, string? audience)
    {
        var (headerToken, headerChain, headerError, foreignHeader) = FromHttp(request);
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

        if (metaToken is null && foreignHeader)
        {
            return (null, Malformed("the Authorization header in scope belongs to another HTTP request than the one that carried this call " +
                "(a legacy SSE stream or a session-wide execution context); use Streamable HTTP or send the Passport in the request's _meta"));
        }

        return metaToken is null ? (null, null) : (new PassportContext(metaToken, metaChain, audience), null);
    }

    // The headers are this call's only when the call arrived in the HTTP request in scope: a Streamable HTTP POST whose
    // execution context flowed to the handler. Otherwise (legacy SSE: the GET /sse stream; a session-wide execution
    // context) they belong to another request and are never used; ForeignHeader says one was there.
    private static (string? Token, string[] Chain, PassportError? Error, bool ForeignHeader) FromHttp<TParams>(RequestContext<TParams> request)
    {
        var http = request.Services?.GetService<IHttpContextAccessor>()?.HttpContext;
        if (http is null || !http.Request.Headers.TryGetValue("Authorization", out var authorization))
        {
            return (null, [], null, false);
        }

        // Streamable HTTP tags each message with the POST it came in (RelatedTransport); a stateless server runs inside that
        // POST, a stateful session hands the handler the POST's captured execution context. Legacy SSE does neither.
        var carried = request.JsonRpcRequest.Context;
        bool inCarrier = carried?.RelatedTransport is not null
            && (carried.ExecutionContext is not null || request.Server.SessionId is null)
            && HttpMethods.IsPost(http.Request.Method);
        if (!inCarrier)
        {
            return (null, [], null, true);
        }

        if (authorization.Count != 1
            || authorization[0] is not { } value
            || value.Length > MaxAuthorizationLength
            || !value.StartsWith(PassportMcpWire.AuthorizationScheme + " ", StringComparison.OrdinalIgnoreCase)
            || value[(PassportMcpWire.AuthorizationScheme.Length + 1)..].Trim() is not { Length: > 0 } token
            || token.Contains(' ', StringComparison.Ordinal))
        {
            return (null, [], Malformed("the Authorization header is not 'Bearer <passport>' within the token size cap"), false);
        }

        if (!http.Request.Headers.TryGetValue(PassportMcpWire.ChainHeaderName, out var parents))
        {
            return (token, [], null, false);
        }

        var sizeError = CheckHeaderChain(parents);
        if (sizeError is not null)
        {
            return (null, [], sizeError, false);
        }

        var chain = Split(parents);
        return chain is null
            ? (null, [], Malformed($"the {PassportMcpWire.ChainHeaderName} header has an empty entry"), false)
            : (token, chain, null, false);
    }

    // Counts separators and lengths on the raw header values: nothing is joined or split before the caps hold.
    private static PassportError? CheckHeaderChain(StringValues values)
    {
        long entries = 0, chars = 0;
        foreach (var value in values)
        {
            var text = value ?? string.Empty;
            entries += 1 + text.AsSpan().Count(',');
            chars += text.Length;
        }

        // Commas and optional spaces around them are not token bytes: allow two per entry.
        return PassportInputLimits.CheckParentCount(entries) ?? PassportInputLimits.CheckChainSize(chars - (2 * entries));
    }

    private static (string? Token, string[] Chain, PassportError? Error) FromMeta(JsonObject? meta)
    {
        if (meta is null || !meta.TryGetPropertyValue(PassportMcpWire.MetaTokenKey, out var tokenNode))
        {
            return (null, [], null);
        }

        if (RawStringLength(tokenNode) is not long tokenLength)
        {
            return (null, [], Malformed($"_meta[\"{PassportMcpWire.MetaTokenKey}\"] is not a non-empty string"));
        }

        if (PassportInputLimits.CheckTokenSize(tokenLength) is { } tokenSizeError)
        {
            return (null, [], tokenSizeError);
        }

        string[] chain = [];
        if (meta.TryGetPropertyValue(PassportMcpWire.MetaChainKey, out var chainNode) && chainNode is not null)
        {
            if (chainNode is not JsonArray array)
            {
                return (null, [], Malformed($"_meta[\"{PassportMcpWire.MetaChainKey}\"] is not an array of strings"));
            }

            var sizeError = CheckMetaChain(array);
            if (sizeError is not null)
            {
                return (null, [], sizeError);
            }

            chain = new string[array.Count];
            for (int i = 0; i < array.Count; i++)
            {
                var entry = array[i]!.GetValue<string>();
                if (string.IsNullOrWhiteSpace(entry))
                {
                    return (null, [], Malformed($"_meta[\"{PassportMcpWire.MetaChainKey}\"] has an entry that is not a non-empty string"));
                }

                chain[i] = entry;
            }
        }

        var token = ((JsonValue)tokenNode!).GetValue<string>();
        return string.IsNullOrWhiteSpace(token)
            ? (null, [], Malformed($"_meta[\"{PassportMcpWire.MetaTokenKey}\"] is not a non-empty string"))
            : (token, chain, null);
    }

    private static PassportError? CheckMetaChain(JsonArray array)
    {
        var countError = PassportInputLimits.CheckParentCount(array.Count);
        if (countError is not null)
        {
            return countError;
        }

        long total = 0;
        for (int i = 0; i < array.Count; i++)
        {
            if (RawStringLength(array[i]) is not long length)
            {
                return Malformed($"_meta[\"{PassportMcpWire.MetaChainKey}\"] has an entry that is not a non-empty string");
            }

            total += length;
            if (PassportInputLimits.CheckTokenSize(length, i) is { } sizeError)
            {
                return sizeError;
            }
        }

        return PassportInputLimits.CheckChainSize(total);
    }

    // A string value's length without copying it: the raw JSON bytes (an escaped form is never shorter than the string's
    // UTF-8) or, for a value built in process, the string's own length. Null when the node is not a string.
    private static long? RawStringLength(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        if (value.TryGetValue<JsonElement>(out var element))
        {
            return Math.Max(0, JsonMarshal.GetRawUtf8Value(element).Length - 2);
        }

        return value.TryGetValue<string>(out var text) ? text.Length : null;
    }

    // Null when an entry is empty (",," or a trailing comma): a malformed chain is refused, never silently shortened.
    private static string[]? Split(StringValues values)
    {
        var parts = (values.Count == 1 ? values[0]! : string.Join(',', values.ToArray())).Split(',', StringSplitOptions.TrimEntries);
        return parts.Any(p => p.Length == 0) ? null : parts;
    }

    private static PassportError Malformed(string message) => AgentPassportException.Create(PassportErrorKind.InvalidToken, message).Error;
}
