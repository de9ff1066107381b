using System.Globalization;

namespace AgentPassport.Cli;

/// <summary>Reads a time option: ISO 8601 (UTC unless it says otherwise) or Unix seconds.</summary>
internal static class CliTime
{
    /// <exception cref="UsageException">Neither form.</exception>
    public static DateTimeOffset Parse(string option, string text)
    {
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds <= 253_402_300_799)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new UsageException($"{option} must be an ISO 8601 time (e.g. 2026-06-01T12:00:00Z) or Unix seconds (got '{text}').");
    }

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
