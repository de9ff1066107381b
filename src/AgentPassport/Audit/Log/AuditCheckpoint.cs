using System.Text;
using System.Text.Json;
using AgentPassport.Internal;
using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// A checkpoint's compact JWS (<c>typ: agent-passport-audit+jwt</c>): the log's key signs the record's own <c>seq</c>
/// and <c>prev</c> (the hash of every record before it, through the chain), when, and whether the writer closed the log
/// there. The header carries the public JWK so a log can be checked without a key file; a pinned key (a JWKS) is what
/// makes the check mean something against someone who can rewrite the whole file.
/// </summary>
internal static class AuditCheckpoint
{
    public const string TokenType = "agent-passport-audit+jwt";

    public static string Sign(PassportSigningKey key, long seq, string prev, DateTimeOffset issuedAt, bool closed)
    {
        string header = PassportWriter.Encode(w =>
        {
            w.WriteString("alg", key.Algorithm);
            w.WriteString("kid", key.KeyId);
            w.WriteString("typ", TokenType);
            w.WritePropertyName("jwk");
            key.PublicKey.WriteJwk(w);
        });
        string payload = PassportWriter.Encode(w =>
        {
            w.WriteNumber("seq", seq);
            w.WriteString("prev", prev);
            w.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            w.WriteBoolean("closed", closed);
        });
        string signingInput = header + "." + payload;
        return signingInput + "." + CanonicalBase64Url.Encode(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>Checks a checkpoint's JWS; null when it is valid, else what is wrong.</summary>
    /// <param name="jws">The compact JWS.</param>
    /// <param name="seq">The record's <c>seq</c>, which the payload must repeat.</param>
    /// <param name="prev">The record's <c>prev</c>, which the payload must repeat.</param>
    /// <param name="keys">The pinned keys, or null to take the key from the first checkpoint (then every later one must use it).</param>
    /// <param name="state">The key learned from the first checkpoint when none is pinned.</param>
    /// <param name="closed">Whether the writer closed the log at this checkpoint.</param>
    public static string? Verify(string jws, long seq, string prev, IReadOnlyList<PassportVerificationKey>? keys, ref PassportVerificationKey? state, out bool closed)
    {
        closed = false;
        var parts = jws.Split('.');
        if (parts.Length != 3)
        {
            return "the checkpoint is not a compact JWS";
        }

        var headerBytes = CanonicalBase64Url.DecodeCanonical(parts[0]);
        var payloadBytes = CanonicalBase64Url.DecodeCanonical(parts[1]);
        var signature = CanonicalBase64Url.DecodeCanonical(parts[2]);
        if (headerBytes is null || payloadBytes is null || signature is null)
        {
            return "the checkpoint is not canonical base64url";
        }

        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            using var payload = JsonDocument.Parse(payloadBytes);
            var h = header.RootElement;
            var p = payload.RootElement;
            if (Text(h, "typ") != TokenType || Text(h, "alg") is not { } alg || !PassportAlgorithms.IsSupported(alg) || Text(h, "kid") is not { } kid)
            {
                return $"the checkpoint header is not typ '{TokenType}' with a supported alg and a kid";
            }

            PassportVerificationKey? key;
            if (keys is not null)
            {
                key = keys.FirstOrDefault(k => k.KeyId == kid && k.Algorithm == alg);
                if (key is null)
                {
                    return "the checkpoint is signed by a key that is not in the given key set";
                }
            }
            else if (state is not null)
            {
                key = state.KeyId == kid && state.Algorithm == alg ? state : null;
                if (key is null)
                {
                    return "the checkpoint is signed by a different key than the log's first checkpoint";
                }
            }
            else
            {
                if (!h.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
                {
                    return "the checkpoint header has no jwk";
                }

                key = PassportVerificationKey.FromJwk(jwk, alg);
                if (key.KeyId != kid)
                {
                    return "the checkpoint's kid is not its jwk's thumbprint";
                }
            }

            if (!key.Verify(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature))
            {
                return "the checkpoint signature does not verify";
            }

            state ??= key;
            if (!p.TryGetProperty("seq", out var s) || !s.TryGetInt64(out long signedSeq) || signedSeq != seq || Text(p, "prev") != prev)
            {
                return "the checkpoint's signed seq and prev are not the record's";
            }

            closed = p.TryGetProperty("closed", out var c) && c.ValueKind == JsonValueKind.True;
            return null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return "the checkpoint header or payload is not valid JSON";
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
