using System.Text;

namespace AgentPassport;

/// <summary>
/// Bounds the caller-controlled text an audit record keeps: a value over its cap (in UTF-8 bytes) is cut on a character
/// boundary and ends with "…", so a hostile token or tool name cannot make one record large.
/// </summary>
internal static class AuditText
{
    /// <summary>The cap of a tool name (any event) and of an unverified agent id, principal or purpose.</summary>
    public const int MaxNameBytes = 256;

    /// <summary>The cap of an unverified <c>jti</c> or parent <c>jti</c>.</summary>
    public const int MaxIdBytes = 128;

    /// <summary>The cap of an unverified audience.</summary>
    public const int MaxAudienceBytes = 512;

    /// <summary>How many unverified scopes are kept (each within <see cref="PassportScope.MaxLength"/>).</summary>
    public const int MaxScopes = 16;

    private const string Ellipsis = "…";

    public static string? Bound(string? text, int maxBytes)
    {
        // Fast path: at most 3 bytes per UTF-16 unit, so a short string is within the cap without counting.
        if (text is null || text.Length * 3 <= maxBytes || Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        int budget = maxBytes - Encoding.UTF8.GetByteCount(Ellipsis), used = 0, end = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            int size = rune.Utf8SequenceLength;
            if (used + size > budget)
            {
                break;
            }

            used += size;
            end += rune.Utf16SequenceLength;
        }

        return string.Concat(text.AsSpan(0, end), Ellipsis);
    }

    public static IReadOnlyList<string> BoundScopes(IReadOnlyList<string> scopes)
    {
        var kept = new List<string>(Math.Min(scopes.Count, MaxScopes + 1));
        foreach (var scope in scopes)
        {
            if (kept.Count == MaxScopes)
            {
                kept.Add(Ellipsis);
                break;
            }

            kept.Add(Bound(scope, PassportScope.MaxLength)!);
        }

        return kept;
    }
}
