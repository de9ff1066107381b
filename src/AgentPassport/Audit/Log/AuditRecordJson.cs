using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using AgentPassport.Internal;

namespace AgentPassport;

/// <summary>
/// The record format of an audit log (docs/audit.md): an event or a checkpoint as one JSON object with <c>seq</c> and
/// <c>prev</c>, in RFC 8785 canonical form, so its SHA-256 is the same in every implementation. Null values are left out.
/// </summary>
internal static class AuditRecordJson
{
    /// <summary>The <c>prev</c> of the first record: the base64url of 32 zero bytes.</summary>
    public static readonly string GenesisPrev = CanonicalBase64Url.Encode(new byte[32]);

    public const string CheckpointKind = "checkpoint";

    public static string Hash(ReadOnlySpan<byte> record) => CanonicalBase64Url.Encode(SHA256.HashData(record));

    public static byte[] Event(PassportAuditEvent e, long seq, string prev)
    {
        using var buffer = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", KindName(e.Kind));
            w.WriteNumber("seq", seq);
            w.WriteString("prev", prev);
            w.WriteString("time", Time(e.Timestamp));
            w.WriteBoolean("claims_verified", e.ClaimsVerified);
            Optional(w, "agent_id", e.AgentId);
            Optional(w, "sub", e.Principal);
            if (e.Ial is int ial)
            {
                w.WriteNumber("ial", ial);
            }

            Optional(w, "jti", e.TokenId);
            Optional(w, "parent_jti", e.ParentTokenId);
            if (e.Scopes.Count > 0)
            {
                w.WriteStartArray("scopes");
                foreach (var scope in e.Scopes)
                {
                    w.WriteStringValue(scope);
                }

                w.WriteEndArray();
            }

            Optional(w, "aud", e.Audience);
            Optional(w, "exp", e.ExpiresAt is { } exp ? Time(exp) : null);
            Optional(w, "purpose", e.TaskPurpose);
            Optional(w, "tool", e.ToolName);
            Optional(w, "required_scope", e.RequiredScope);
            Optional(w, "error_kind", e.ErrorKind?.ToString());
            Optional(w, "error_code", e.ErrorCode);
            Optional(w, "chain_reason", e.ChainReason?.ToString());
            Optional(w, "revocation_kind", e.RevocationKind?.ToString());
            Optional(w, "revoked_before", e.RevokedBefore is { } before ? Time(before) : null);
            w.WriteEndObject();
        }

        return Canonical(buffer);
    }

    public static byte[] Checkpoint(long seq, string prev, string jws)
    {
        using var buffer = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", CheckpointKind);
            w.WriteNumber("seq", seq);
            w.WriteString("prev", prev);
            w.WriteString("jws", jws);
            w.WriteEndObject();
        }

        return Canonical(buffer);
    }

    /// <summary>Reads a record; null when it is not a complete, well-formed record object.</summary>
    public static ParsedAuditRecord? TryParse(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("seq", out var seqElement) || !seqElement.TryGetInt64(out long seq) || seq < 1
                || String(root, "prev") is not { } prev || String(root, "kind") is not { } kind)
            {
                return null;
            }

            bool canonical = PassportCanonicalJson.Canonicalize(root).AsSpan().SequenceEqual(bytes.Span);
            if (kind == CheckpointKind)
            {
                return String(root, "jws") is { } jws ? new ParsedAuditRecord(seq, prev, canonical, null, jws) : null;
            }

            var e = ReadEvent(root, kind);
            return e is null ? null : new ParsedAuditRecord(seq, prev, canonical, e, null);
        }
        catch (Exception ex) when (ex is JsonException or AgentPassportException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static PassportAuditEvent? ReadEvent(JsonElement root, string kind)
    {
        if (!TryKind(kind, out var eventKind) || String(root, "time") is not { } time)
        {
            return null;
        }

        var scopes = new List<string>();
        if (root.TryGetProperty("scopes", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var scope in array.EnumerateArray())
            {
                scopes.Add(scope.GetString() ?? "");
            }
        }

        return new PassportAuditEvent
        {
            Kind = eventKind,
            Timestamp = ParseTime(time),
            ClaimsVerified = root.TryGetProperty("claims_verified", out var v) && v.ValueKind == JsonValueKind.True,
            AgentId = String(root, "agent_id"),
            Principal = String(root, "sub"),
            Ial = root.TryGetProperty("ial", out var ial) && ial.TryGetInt32(out int level) ? level : null,
            TokenId = String(root, "jti"),
            ParentTokenId = String(root, "parent_jti"),
            Scopes = scopes,
            Audience = String(root, "aud"),
            ExpiresAt = String(root, "exp") is { } exp ? ParseTime(exp) : null,
            TaskPurpose = String(root, "purpose"),
            ToolName = String(root, "tool"),
            RequiredScope = String(root, "required_scope"),
            ErrorKind = Enum<PassportErrorKind>(String(root, "error_kind")),
            ErrorCode = String(root, "error_code"),
            ChainReason = Enum<ChainBrokenReason>(String(root, "chain_reason")),
            RevocationKind = Enum<RevocationEntryKind>(String(root, "revocation_kind")),
            RevokedBefore = String(root, "revoked_before") is { } before ? ParseTime(before) : null,
        };
    }

    public static string KindName(PassportAuditEventKind kind) => kind switch
    {
        PassportAuditEventKind.Minted => "minted",
        PassportAuditEventKind.Allowed => "allowed",
        PassportAuditEventKind.Denied => "denied",
        PassportAuditEventKind.UnknownTool => "unknown_tool",
        PassportAuditEventKind.Revoked => "revoked",
        _ => ((int)kind).ToString(CultureInfo.InvariantCulture), // a kind added later keeps its number
    };

    private static bool TryKind(string name, out PassportAuditEventKind kind)
    {
        kind = name switch
        {
            "minted" => PassportAuditEventKind.Minted,
            "allowed" => PassportAuditEventKind.Allowed,
            "denied" => PassportAuditEventKind.Denied,
            "unknown_tool" => PassportAuditEventKind.UnknownTool,
            "revoked" => PassportAuditEventKind.Revoked,
            _ => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? (PassportAuditEventKind)n : 0,
        };
        return kind != 0;
    }

    private static T? Enum<T>(string? name)
        where T : struct, Enum => name is not null && System.Enum.TryParse<T>(name, out var value) ? value : null;

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static byte[] Canonical(MemoryStream buffer)
    {
        using var doc = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        return PassportCanonicalJson.Canonicalize(doc.RootElement);
    }
}

/// <summary>A record as read: its sequence number, <c>prev</c>, whether its bytes are canonical, and its event or checkpoint JWS.</summary>
internal sealed record ParsedAuditRecord(long Seq, string Prev, bool Canonical, PassportAuditEvent? Event, string? Jws);
