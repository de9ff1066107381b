using System.Buffers;
using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// The wire form of revocation entries, shared by the file and Redis stores: one JSON object per entry,
/// <c>{"kind":"jti|sub|agent","value":"…","before":ms?,"expires":ms}</c> (Unix milliseconds).
/// </summary>
internal static class RevocationJson
{
    public static byte[] WriteEntry(RevocationEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, entry);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <c>{"version":1,"entries":[…]}</c>.</summary>
    public static byte[] WriteDocument(IEnumerable<RevocationEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", 1);
            w.WriteStartArray("entries");
            foreach (var entry in entries)
            {
                Write(w, entry);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">Not a revocation document.</exception>
    public static List<RevocationEntry> ReadDocument(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || version.GetInt32() != 1
                || !root.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("not a version 1 revocation document");
            }

            return [.. entries.EnumerateArray().Select(Read)];
        }
        catch (JsonException ex)
        {
            throw new FormatException("the revocation document is not valid JSON", ex);
        }
        catch (KeyNotFoundException ex)
        {
            throw new FormatException("a revocation entry lacks a member", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException("the revocation document has a mistyped member", ex);
        }
    }

    /// <exception cref="FormatException">Not a revocation entry.</exception>
    public static RevocationEntry ReadEntry(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            return Read(doc.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FormatException("the revocation entry is not valid JSON", ex);
        }
        catch (KeyNotFoundException ex)
        {
            throw new FormatException("a revocation entry lacks a member", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException("the revocation entry has a mistyped member", ex);
        }
    }

    public static string KindName(RevocationEntryKind kind) => kind switch
    {
        RevocationEntryKind.TokenId => "jti",
        RevocationEntryKind.Subject => "sub",
        RevocationEntryKind.Agent => "agent",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static void Write(Utf8JsonWriter w, RevocationEntry entry)
    {
        w.WriteStartObject();
        w.WriteString("kind", KindName(entry.Kind));
        w.WriteString("value", entry.Value);
        if (entry.Before is { } before)
        {
            w.WriteNumber("before", before.ToUnixTimeMilliseconds());
        }

        w.WriteNumber("expires", entry.ExpiresAt.ToUnixTimeMilliseconds());
        w.WriteEndObject();
    }

    private static RevocationEntry Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a revocation entry must be an object");
        }

        var kind = e.GetProperty("kind").GetString() switch
        {
            "jti" => RevocationEntryKind.TokenId,
            "sub" => RevocationEntryKind.Subject,
            "agent" => RevocationEntryKind.Agent,
            _ => throw new FormatException("unknown revocation entry kind"),
        };
        string value = e.GetProperty("value").GetString() ?? throw new FormatException("a revocation entry needs a value");
        DateTimeOffset? before = e.TryGetProperty("before", out var b) ? Time(b) : null;
        try
        {
            return RevocationEntry.Restore(kind, value, before, Time(e.GetProperty("expires")));
        }
        catch (ArgumentException ex)
        {
            throw new FormatException("a revocation entry's value is empty or too long", ex);
        }
    }

    private static DateTimeOffset Time(JsonElement e)
    {
        long ms = e.GetInt64();
        return ms < -62_135_596_800_000 || ms > 253_402_300_799_999
            ? throw new FormatException("a revocation time is out of range")
            : DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
