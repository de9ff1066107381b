using System.Text;

namespace AgentPassport.TestSupport.Fuzzing;

/// <summary>
/// JSON-escape mutations of a decoded header or payload, shared by the Passport and ID-token fuzzers: an escape put
/// inside a string value or a member name (lone and reversed surrogates, <c>\u0000</c>, truncated and non-hex escapes,
/// an escape of a character that needs none), or a member name rewritten entirely as <c>\uXXXX</c> escapes (the same
/// name to a reader, a different one to a byte comparison).
/// </summary>
public static class JsonEscapeMutator
{
    /// <summary>Escape sequences as JSON source text; the first ones decode to no valid UTF-16.</summary>
    public static readonly string[] LoneSurrogates = ["\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\udc00\\ud800", "\\ud800\\u0041", "\\ud800\\ud800"];

    private static readonly string[] Others =
    [
        "\\u0000", "\\u001f", "\\u0022", "\\u005c", "\\u002f", "\\u0041", "\\u00e9", "\\uFFFF", "\\uFEFF", "\\ud83d\\ude00",
        "\\u00", "\\u", "\\uZZZZ", "\\x41", "\\U0041", "\\u+041", "\\", "\\0",
    ];

    /// <summary>Applies one random escape mutation to <paramref name="json"/>.</summary>
    public static string Mutate(string json, Random rng)
    {
        var strings = StringSpans(json);
        if (strings.Count == 0)
        {
            return json;
        }

        var (start, length) = strings[rng.Next(strings.Count)];
        if (rng.Next(4) == 0)
        {
            // The whole string (often a member name such as "kid" or "iss") as \uXXXX escapes.
            return string.Concat(json.AsSpan(0, start), EscapeAll(json.Substring(start, length)), json.AsSpan(start + length));
        }

        string escape = rng.Next(2) == 0 ? LoneSurrogates[rng.Next(LoneSurrogates.Length)] : Others[rng.Next(Others.Length)];
        int at = start + rng.Next(length + 1);
        return rng.Next(3) == 0
            ? string.Concat(json.AsSpan(0, start), escape, json.AsSpan(start + length))
            : json.Insert(at, escape);
    }

    /// <summary>Inserts a lone surrogate escape into a random string of <paramref name="json"/> (always undecodable text).</summary>
    public static string InsertLoneSurrogate(string json, Random rng)
    {
        var strings = StringSpans(json);
        var (start, length) = strings[rng.Next(strings.Count)];
        return json.Insert(start + rng.Next(length + 1), LoneSurrogates[rng.Next(LoneSurrogates.Length)]);
    }

    /// <summary>Escapes every character of <paramref name="text"/> as <c>\uXXXX</c>.</summary>
    public static string EscapeAll(string text)
    {
        var sb = new StringBuilder(text.Length * 6);
        foreach (char c in text)
        {
            sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>The contents (between the quotes) of every JSON string in <paramref name="json"/>, names included.</summary>
    private static List<(int Start, int Length)> StringSpans(string json)
    {
        var spans = new List<(int, int)>();
        int open = -1;
        for (int i = 0; i < json.Length; i++)
        {
            if (json[i] == '\\' && open >= 0)
            {
                i++;
            }
            else if (json[i] == '"')
            {
                if (open < 0)
                {
                    open = i + 1;
                }
                else
                {
                    spans.Add((open, i - open));
                    open = -1;
                }
            }
        }

        return spans;
    }
}
