using System.Text.Json;

namespace AgentPassport.Jose;

/// <summary>
/// Checks a parsed JSON document for member names and strings that unescape to no valid text (an escaped lone
/// surrogate such as <c>"\ud800"</c>): <see cref="JsonDocument"/> accepts them, but reading one later throws
/// <see cref="InvalidOperationException"/>. Checked once after parsing, so every later read is safe.
/// </summary>
internal static class DecodableJson
{
    /// <summary>Gets a value indicating whether every member name and string in <paramref name="element"/> can be read as text.</summary>
    public static bool IsDecodable(JsonElement element)
    {
        try
        {
            Walk(element);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Walk(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    Walk(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item);
                }

                break;
        }
    }
}
