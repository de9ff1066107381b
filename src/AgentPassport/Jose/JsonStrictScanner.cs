using System.Text.Json;

namespace AgentPassport.Jose;

/// <summary>
/// Walks JSON with a <see cref="Utf8JsonReader"/> and refuses duplicate member names at any depth.
/// Used for every member the Passport reader does not interpret itself, so "no duplicates anywhere" holds everywhere.
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

            default:
                return true;
        }
    }
}
