using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
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

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Hash(ReadOnlySpan<byte> record) => CanonicalBase64Url.Encode(SHA256.HashData(record));

    public static byte[] Event(PassportAuditEvent e, long seq, string prev)
    {
        // Members in RFC 8785 order (sorted by UTF-16 code units), so plain-ASCII records need no second pass.
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            Optional(w, "agent_id", e.AgentId);
            Optional(w, "aud", e.Audience);
            Optional(w, "chain_reason", e.ChainReason?.ToString());
            w.WriteBoolean("claims_verified", e.ClaimsVerified);
            Optional(w, "constraints", e.Constraints);
            Optional(w, "error_code", e.ErrorCode);
            Optional(w, "error_kind", e.ErrorKind?.ToString());
            Optional(w, "exp", e.ExpiresAt is { } exp ? Time(exp) : null);
            Optional(w, "holder_jkt", e.HolderThumbprint);
            if (e.Ial is int ial)
            {
                w.WriteNumber("ial", ial);
            }

            Optional(w, "jti", e.TokenId);
            w.WriteString("kind", KindName(e.Kind));
            Optional(w, "parent_jti", e.ParentTokenId);
            w.WriteString("prev", prev);
            Optional(w, "proof_jti", e.ProofId);
            Optional(w, "purpose", e.TaskPurpose);
            Optional(w, "required_scope", e.RequiredScope);
            Optional(w, "revocation_kind", e.RevocationKind?.ToString());
            Optional(w, "revoked_before", e.RevokedBefore is { } before ? Time(before) : null);
            if (e.Scopes.Count > 0)
            {
                w.WriteStartArray("scopes");
                foreach (var scope in e.Scopes)
                {
                    w.WriteStringValue(scope);
                }

                w.WriteEndArray();
            }

            w.WriteNumber("seq", seq);
            Optional(w, "sub", e.Principal);
            w.WriteString("time", Time(e.Timestamp));
            Optional(w, "tool", e.ToolName);
            w.WriteEndObject();
        }

        return Canonical(buffer.WrittenSpan);
    }

    public static byte[] Checkpoint(long seq, string prev, string jws)
    {
        using var buffer = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("jws", jws); // sorted, as for events
            w.WriteString("kind", CheckpointKind);
            w.WriteString("prev", prev);
            w.WriteNumber("seq", seq);
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
            Constraints = String(root, "constraints"),
            ProofId = String(root, "proof_jti"),
            HolderThumbprint = String(root, "holder_jkt"),
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

    private static byte[] Canonical(MemoryStream buffer) => Canonical(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));

    // Sorted members of printable ASCII with no escape are already canonical (RFC 8785 writes them byte for byte the
    // same); anything else (an escape, a non-ASCII character, a duplicate) goes through the full canonicalizer.
    private static byte[] Canonical(ReadOnlySpan<byte> json)
    {
        if (json.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0 && !json.Contains((byte)'\\'))
        {
            return json.ToArray();
        }

        var reader = new Utf8JsonReader(json);
        using var doc = JsonDocument.ParseValue(ref reader);
        return PassportCanonicalJson.Canonicalize(doc.RootElement);
    }
}

/// <summary>A record as read: its sequence number, <c>prev</c>, whether its bytes are canonical, and its event or checkpoint JWS.</summary>
internal sealed record ParsedAuditRecord(long Seq, string Prev, bool Canonical, PassportAuditEvent? Event, string? Jws);
