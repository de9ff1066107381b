using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace AgentPassport.ModelContextProtocol;

/// <summary>
/// Reads the Passport, chain and proof a request carries (<see cref="PassportMcpWire"/>). Sizes are checked on the raw input
/// (<see cref="PassportInputLimits"/>) before any string is split or copied; each token is copied once. Never logs or
/// returns a token in an error.
/// </summary>
internal static class PassportMcpCredentials
{
    /// <summary>The caller's context (null: no Passport), or the error of a malformed credential.</summary>
    public static (PassportContext? Context, PassportError? Error) Read<TParams>(RequestContext<TParams> request, JsonObject? meta, string? audience, bool reserveAuthorization)
    {
        var (header, foreignHeader) = FromHttp(request, reserveAuthorization);
        if (header?.Error is { } headerError)
        {
            return (null, headerError);
        }

        var (metaToken, metaChain, metaProof, metaError) = FromMeta(meta);
        string? headerToken = header?.Token;
        if (headerToken is not null && metaToken is not null && !string.Equals(headerToken, metaToken, StringComparison.Ordinal))
        {
            return (null, Malformed("the request carries two different Passports (HTTP headers and _meta)"));
        }

        if (header?.Proof is { } headerProof && metaProof is not null && !string.Equals(headerProof, metaProof, StringComparison.Ordinal))
        {
            return (null, Malformed("the request carries two different proofs (HTTP header and _meta)"));
        }

        if (headerToken is not null)
        {
            return (Context(headerToken, header!.ChainTokens, header.Proof ?? metaProof, audience), null);
        }

        if (metaError is not null)
        {
            return (null, metaError);
        }

        if (metaToken is null && foreignHeader)
        {
            return (null, Malformed("the Passport headers in scope belong to another HTTP request than the one that carried this call " +
                "(a legacy SSE stream or a session-wide execution context); use Streamable HTTP or send the Passport in the request's _meta"));
        }

        return metaToken is null ? (null, null) : (Context(metaToken, metaChain, metaProof, audience), null);
    }

    private static PassportContext Context(string token, IReadOnlyList<string> chain, string? proof, string? audience)
    {
        var context = new PassportContext(token, chain, audience);
        return proof is null ? context : context.WithProof(proof);
    }

    // The headers are this call's only when the call arrived in the HTTP request in scope: a Streamable HTTP POST whose
    // execution context flowed to the handler. Otherwise (legacy SSE: the GET /sse stream; a session-wide execution
    // context) they belong to another request and are never used; ForeignHeader says one was there.
    private static (PassportHttpCredentials? Credentials, bool ForeignHeader) FromHttp<TParams>(RequestContext<TParams> request, bool reserveAuthorization)
    {
        var http = request.Services?.GetService<IHttpContextAccessor>()?.HttpContext;
        if (http is null || !CarriesPassportHeader(http.Request.Headers, reserveAuthorization))
        {
            return (null, false);
        }

        // Streamable HTTP tags each message with the POST it came in (RelatedTransport); a stateless server runs inside that
        // POST, a stateful session hands the handler the POST's captured execution context. Legacy SSE does neither.
        var carried = request.JsonRpcRequest.Context;
        bool inCarrier = carried?.RelatedTransport is not null
            && (carried.ExecutionContext is not null || request.Server.SessionId is null)
            && HttpMethods.IsPost(http.Request.Method);
        if (!inCarrier)
        {
            return (null, true);
        }

        var credentials = PassportHttpCredentials.Read(http.Request, acceptAuthorizationHeader: !reserveAuthorization);
        return (credentials.IsEmpty ? null : credentials, false);
    }

    private static bool CarriesPassportHeader(IHeaderDictionary headers, bool reserveAuthorization) =>
        headers.ContainsKey(PassportHttpWire.PassportHeaderName)
        || headers.ContainsKey(PassportHttpWire.ChainHeaderName)
        || headers.ContainsKey(PassportHttpWire.ProofHeaderName)
        || (!reserveAuthorization && headers.ContainsKey("Authorization"));

    private static (string? Token, string[] Chain, string? Proof, PassportError? Error) FromMeta(JsonObject? meta)
    {
        if (meta is null)
        {
            return (null, [], null, null);
        }

        string? proof = null;
        if (meta.TryGetPropertyValue(PassportMcpWire.MetaProofKey, out var proofNode))
        {
            if (RawStringLength(proofNode) is not long proofLength || proofLength > PassportProof.MaxProofBytes
                || ((JsonValue)proofNode!).GetValue<string>() is not { } proofText || string.IsNullOrWhiteSpace(proofText))
            {
                return (null, [], null, Malformed($"_meta[\"{PassportMcpWire.MetaProofKey}\"] is not a non-empty string within {PassportProof.MaxProofBytes} bytes"));
            }

            proof = proofText;
        }

        var (token, chain, error) = TokenFromMeta(meta);
        return error is not null ? (null, [], null, error)
            : token is null && proof is not null ? (null, [], null, Malformed("_meta carries a proof without a Passport"))
            : (token, chain, proof, null);
    }

    private static (string? Token, string[] Chain, PassportError? Error) TokenFromMeta(JsonObject meta)
    {
        if (!meta.TryGetPropertyValue(PassportMcpWire.MetaTokenKey, out var tokenNode))
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

    private static PassportError Malformed(string message) => AgentPassportException.Create(PassportErrorKind.InvalidToken, message).Error;
}
