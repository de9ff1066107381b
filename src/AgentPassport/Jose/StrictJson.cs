using System.Text.Json;
using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// The strict JSON rules the Passport reader applies, for other JOSE readers (the ID-token parser of
/// AgentPassport.Identity): no duplicate member names at any depth, and no string that decodes to no valid text
/// (invalid UTF-8, or an escaped lone surrogate such as <c>"\ud800"</c>, which I-JSON forbids).
/// </summary>
public static class StrictJson
{
    /// <summary>The JSON nesting accepted in a JOSE header or payload.</summary>
    public const int MaxDepth = JsonStrictScanner.MaxDepth;

    /// <summary>Skips the value <paramref name="reader"/> is on (a token already read), checking every nested object and string.</summary>
    /// <param name="reader">A reader positioned on the first token of a value.</param>
    /// <returns><see langword="false"/> when an object repeats a member name.</returns>
    /// <exception cref="JsonException">The JSON is malformed or too deep.</exception>
    /// <exception cref="InvalidOperationException">A string cannot be read as text (as <c>GetString</c> would throw).</exception>
    public static bool SkipCurrent(ref Utf8JsonReader reader) => JsonStrictScanner.SkipCurrent(ref reader);

    /// <summary>Gets a value indicating whether every member name and string in a parsed <paramref name="element"/> can be read as text.</summary>
    /// <param name="element">A parsed JSON value.</param>
    /// <returns><see langword="false"/> when reading some name or string would throw.</returns>
    public static bool IsDecodable(JsonElement element) => DecodableJson.IsDecodable(element);
}
