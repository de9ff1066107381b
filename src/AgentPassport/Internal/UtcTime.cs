using System.Globalization;

namespace AgentPassport;

/// <summary>The one way the library writes an instant for people: ISO 8601 in UTC with a <c>Z</c>, to the second.</summary>
internal static class UtcTime
{
    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
