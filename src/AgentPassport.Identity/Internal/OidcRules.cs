using System.Globalization;

namespace AgentPassport;

/// <summary>URL, algorithm and range rules shared by the OpenID types, and the clipping of network text in messages.</summary>
internal static class OidcRules
{
    /// <summary>An instant as ISO-8601 UTC with a <c>Z</c>, the one time format of every message a person reads.</summary>
    public static string FormatUtc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>HTTPS anywhere; plain HTTP only to a loopback host (the same rule as the core's remote JWKS fetcher).</summary>
    public static bool IsAllowedEndpoint(Uri url) => url.IsAbsoluteUri && RemoteJsonClient.IsAllowedUrl(url);

    public static void CheckAlgorithms(IReadOnlyList<string>? algorithms, string name)
    {
        if (algorithms is null || algorithms.Count == 0)
        {
            throw new ArgumentException("At least one algorithm must be allowed.", name);
        }

        foreach (var alg in algorithms)
        {
            if (alg is null || PassportAlgorithms.IsForbidden(alg) || !PassportAlgorithms.IsSupported(alg))
            {
                throw new ArgumentException($"The algorithm '{alg}' cannot be allowed (supported: RS256, ES256, PS256; never none or HS*).", name);
            }
        }
    }

    /// <summary>Throws when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void CheckRange(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }
    }

    /// <summary>Shortens text from the network before it goes into an error message, replacing control characters.</summary>
    public static string Clip(string? value, int max = 80)
    {
        if (value is null)
        {
            return "<null>";
        }

        var chars = value.Length <= max ? value : string.Concat(value.AsSpan(0, max), "…");
        return string.Create(chars.Length, chars, static (span, s) =>
        {
            for (int i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
    }
}
