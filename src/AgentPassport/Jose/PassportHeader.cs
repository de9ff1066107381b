using System.Text.Json;

namespace AgentPassport.Jose;

/// <summary>The JOSE header of a Passport, read strictly: an object, no duplicate names, no embedded-key or <c>crit</c> members.</summary>
internal readonly record struct PassportHeader(string? Algorithm, string? Type, string? KeyId, string? Forbidden, bool TypeIsString, bool KeyIdIsString, bool AlgorithmIsString)
{
    private static readonly string[] ForbiddenMembers = ["jku", "jwk", "x5u", "x5c", "crit"];

    /// <summary>Reads the header; null when it is not a JSON object or has duplicate members (with the reason).</summary>
    public static PassportHeader? Read(ReadOnlySpan<byte> json, out string? error, out bool duplicate)
    {
        error = null;
        duplicate = false;
        string? alg = null, typ = null, kid = null, forbidden = null;
        bool typIsString = true, kidIsString = true, algIsString = true;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = JsonStrictScanner.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "the header is not a JSON object";
                return null;
            }

            var names = new MemberNameSet();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (!names.Add(ref reader))
                {
                    error = "the header has a duplicate member name";
                    duplicate = true;
                    return null;
                }

                string name = reader.GetString()!;
                switch (name)
                {
                    case "alg":
                        alg = ReadString(ref reader, out algIsString, ref duplicate);
                        break;
                    case "typ":
                        typ = ReadString(ref reader, out typIsString, ref duplicate);
                        break;
                    case "kid":
                        kid = ReadString(ref reader, out kidIsString, ref duplicate);
                        break;
                    default:
                        if (Array.IndexOf(ForbiddenMembers, name) >= 0)
                        {
                            forbidden ??= name;
                        }

                        if (!JsonStrictScanner.SkipValue(ref reader))
                        {
                            duplicate = true;
                        }

                        break;
                }

                if (duplicate)
                {
                    error = "the header has a duplicate member name";
                    return null;
                }
            }

            if (reader.Read())
            {
                error = "the header has content after the JSON object";
                return null;
            }
        }
        catch (JsonException)
        {
            error = "the header is not valid JSON";
            return null;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString throws this (not JsonException) for a string that is not valid UTF-8.
            error = "the header is not valid JSON (a string is not valid UTF-8)";
            return null;
        }

        return new PassportHeader(alg, typ, kid, forbidden, typIsString, kidIsString, algIsString);
    }

    /// <summary>Gets a value indicating whether <c>typ</c> names a Passport (RFC 7515 §4.1.9: case-insensitive, <c>application/</c> optional).</summary>
    public bool HasPassportType =>
        Type is not null
        && (Type.Equals(PassportClaimNames.TokenType, StringComparison.OrdinalIgnoreCase)
            || Type.Equals("application/" + PassportClaimNames.TokenType, StringComparison.OrdinalIgnoreCase));

    private static string? ReadString(ref Utf8JsonReader reader, out bool isString, ref bool duplicate)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            isString = true;
            return reader.GetString();
        }

        isString = false;
        if (!JsonStrictScanner.SkipCurrent(ref reader))
        {
            duplicate = true;
        }

        return null;
    }
}
