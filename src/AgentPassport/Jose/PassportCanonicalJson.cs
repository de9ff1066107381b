using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// RFC 8785 (JSON Canonicalization Scheme): one byte sequence for one JSON value, so a hash of it (a proof's
/// <c>args</c>, an audit record's <c>prev</c>) is the same in every implementation. Members are sorted by their names'
/// UTF-16 code units, strings use the minimal escapes of ECMAScript's <c>JSON.stringify</c>, and numbers are written as
/// ECMAScript writes the IEEE 754 double they denote.
/// </summary>
public static class PassportCanonicalJson
{
    /// <summary>Writes <paramref name="value"/> in canonical form.</summary>
    /// <param name="value">A JSON value.</param>
    /// <returns>The canonical UTF-8 bytes.</returns>
    /// <exception cref="AgentPassportException">
    /// (<see cref="PassportErrorKind.MalformedClaims"/>) The value is not I-JSON: a duplicate member name, a number that is no
    /// finite double (such as <c>1e400</c>), text that is not valid Unicode, or an undefined value.
    /// </exception>
    public static byte[] Canonicalize(JsonElement value)
    {
        return Encoding.UTF8.GetBytes(CanonicalizeToString(value));
    }

    /// <summary>Writes <paramref name="value"/> in canonical form as text.</summary>
    /// <param name="value">A JSON value.</param>
    /// <returns>The canonical JSON text.</returns>
    /// <exception cref="AgentPassportException">As <see cref="Canonicalize(JsonElement)"/>.</exception>
    public static string CanonicalizeToString(JsonElement value)
    {
        var text = new StringBuilder(256);
        Write(value, text);
        return text.ToString();
    }

    /// <summary>Writes a finite double the way ECMAScript's <c>Number.prototype.toString</c> does (RFC 8785 §3.2.2.3).</summary>
    /// <param name="value">A finite number.</param>
    /// <returns>The canonical number text.</returns>
    /// <exception cref="AgentPassportException">(<see cref="PassportErrorKind.MalformedClaims"/>) The number is NaN or infinite.</exception>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw NotIJson("a number is not finite");
        }

        if (value == 0)
        {
            return "0"; // both zeros
        }

        // The shortest round-trip digits, then ECMAScript's placement rules.
        var roundTrip = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, exponent) = Decompose(roundTrip);
        var k = digits.Length;
        var n = exponent; // value = 0.d1d2...dk × 10^n
        var sign = value < 0 ? "-" : "";
        string body;
        if (k <= n && n <= 21)
        {
            body = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            body = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            body = "0." + new string('0', -n) + digits;
        }
        else
        {
            var e = n - 1;
            var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
            body = mantissa + "e" + (e < 0 ? "-" : "+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }

        return sign + body;
    }

    // "1.2345E+21" or "123.45" → significant digits without leading/trailing zeros and n such that value = 0.digits × 10^n.
    private static (string Digits, int Exponent) Decompose(string roundTrip)
    {
        var e = roundTrip.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? roundTrip : roundTrip[..e];
        var power = e < 0 ? 0 : int.Parse(roundTrip.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = dot < 0 ? mantissa.Length : dot;
        var all = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0')
        {
            leading++;
        }

        var digits = all[leading..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, integerDigits - leading + power);
    }

    private static void Write(JsonElement value, StringBuilder text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(value, text);
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        text.Append(',');
                    }

                    first = false;
                    Write(item, text);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(ReadString(value), text);
                break;
            case JsonValueKind.Number:
                if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw NotIJson("a number is beyond the range of a double");
                }

                text.Append(FormatNumber(number));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            default:
                throw NotIJson("a value is undefined");
        }
    }

    private static void WriteObject(JsonElement value, StringBuilder text)
    {
        var members = new List<(string Name, JsonElement Value)>();
        foreach (var property in value.EnumerateObject())
        {
            members.Add((ReadName(property), property.Value));
        }

        // Ordinal string comparison in .NET compares UTF-16 code units, as RFC 8785 §3.2.3 asks.
        members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        text.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                if (string.Equals(members[i - 1].Name, members[i].Name, StringComparison.Ordinal))
                {
                    throw NotIJson("a member name appears twice");
                }

                text.Append(',');
            }

            WriteString(members[i].Name, text);
            text.Append(':');
            Write(members[i].Value, text);
        }

        text.Append('}');
    }

    private static string ReadName(JsonProperty property)
    {
        try
        {
            return CheckedText(property.Name);
        }
        catch (InvalidOperationException)
        {
            throw NotIJson("a member name is not valid Unicode");
        }
    }

    private static string ReadString(JsonElement value)
    {
        try
        {
            return CheckedText(value.GetString()!);
        }
        catch (InvalidOperationException)
        {
            throw NotIJson("a string is not valid Unicode");
        }
    }

    // A lone surrogate cannot be written as UTF-8; I-JSON (RFC 7493) forbids it.
    private static string CheckedText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                throw new InvalidOperationException();
            }
        }

        return text;
    }

    private static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    private static AgentPassportException NotIJson(string reason) =>
        new(new PassportError(PassportErrorKind.MalformedClaims, $"the JSON value cannot be canonicalized (RFC 8785): {reason}"));
}
