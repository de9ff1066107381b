using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace AgentPassport.Jose;

/// <summary>
/// Walks JSON with a <see cref="Utf8JsonReader"/> and refuses duplicate member names at any depth, and strings that
/// decode to no valid text (invalid UTF-8, or an escaped lone surrogate such as <c>"\ud800"</c>, which I-JSON forbids).
/// Used for every member the Passport reader does not interpret itself, so both hold everywhere: whoever reads the
/// claims later never meets a string that <c>GetString</c> would throw on.
/// </summary>
internal static class JsonStrictScanner
{
    /// <summary>The JSON nesting accepted in a header or payload (the act chain needs 10; extra room for unknown claims).</summary>
    public const int MaxDepth = 24;

    /// <summary>Skips the value the reader is positioned on (after its property name), checking nested objects for duplicates.</summary>
    /// <returns>False when a duplicate member name was found.</returns>
    public static bool SkipValue(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("Unexpected end of JSON.");
        }

        return SkipCurrent(ref reader);
    }

    /// <summary>Skips the value the reader is on (a token already read).</summary>
    public static bool SkipCurrent(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var names = new MemberNameSet();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    if (!names.Add(ref reader))
                    {
                        return false;
                    }

                    if (!SkipValue(ref reader))
                    {
                        return false;
                    }
                }

                return true;

            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!SkipCurrent(ref reader))
                    {
                        return false;
                    }
                }

                return true;

            case JsonTokenType.String:
                EnsureDecodable(ref reader);
                return true;

            default:
                return true;
        }
    }

    /// <summary>Throws when the string the reader is on is not valid UTF-8 or unescapes to invalid UTF-16.</summary>
    /// <exception cref="InvalidOperationException">The string cannot be read as text (the same exception <c>GetString</c> throws).</exception>
    public static void EnsureDecodable(ref Utf8JsonReader reader)
    {
        const int StackLimit = 256;
        if (!reader.ValueIsEscaped)
        {
            if (!Utf8.IsValid(reader.ValueSpan))
            {
                throw new InvalidOperationException("A JSON string is not valid UTF-8.");
            }

            return;
        }

        // CopyString unescapes and throws InvalidOperationException for a lone or reversed surrogate.
        byte[]? rented = null;
        int max = reader.ValueSpan.Length;
        Span<byte> buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int written = reader.CopyString(buffer);
            if (!Utf8.IsValid(buffer[..written]))
            {
                throw new InvalidOperationException("A JSON string is not valid UTF-8.");
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
