using System.Globalization;

namespace AgentPassport;

/// <summary>
/// The time format and range rule shared by the OpenID types. The URL and algorithm rules and the clipping of network text
/// are the core's own (<c>RemoteUrls</c>, linked into this assembly as source), so both packages apply one rule.
/// </summary>
internal static class OidcRules
{
    /// <summary>An instant as ISO-8601 UTC with a <c>Z</c>, the one time format of every message a person reads.</summary>
    public static string FormatUtc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Throws when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void CheckRange(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }
    }
}
