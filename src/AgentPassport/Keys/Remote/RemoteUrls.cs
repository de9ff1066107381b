using System.Net;

namespace AgentPassport;

/// <summary>URL and algorithm rules shared by the remote key resolver and the OpenID types (linked into AgentPassport.Identity).</summary>
internal static class RemoteUrls
{
    /// <summary>HTTPS anywhere; plain HTTP only to a loopback host (local providers and tests).</summary>
    public static bool IsAllowedEndpoint(Uri url) =>
        url.IsAbsoluteUri
        && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLoopbackHost(url)));

    public static bool IsLoopbackHost(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

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

    /// <summary>Shortens text from the network before it goes into an error message.</summary>
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
