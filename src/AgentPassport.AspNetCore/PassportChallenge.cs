using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AgentPassport.AspNetCore;

/// <summary>
/// Writes a refusal: <c>401</c> (no or invalid credential) or <c>403</c> (a valid Passport that is not allowed) with
/// <c>WWW-Authenticate: AgentPassport error="…", error_description="Kind (APnnnn)", scope="…", resource_metadata="…"</c>
/// (RFC 6750 §3, RFC 9728 §5.1). Every value is quoted inertly; the description names only the error kind and code (the
/// message can reveal claims); no body, no stack trace.
/// </summary>
internal static class PassportChallenge
{
    public static Task WriteAsync(HttpContext http, PassportAuthenticationOptions options, bool forbidden)
    {
        _ = options;
        var feature = http.Features.Get<PassportRequestFeature>();
        var decision = feature?.Decision;
        PassportError? error = decision?.Error ?? feature?.AuthenticationError;
        string? scope = decision?.RequiredScope ?? PassportScopeRequirement.Of(http);

        // A decision settles the status; otherwise ASP.NET Core's own choice (challenge or forbid) stands.
        bool isForbidden = decision is { IsAllowed: false } ? IsForbidden(decision) : forbidden;
        string? code = isForbidden ? "insufficient_scope"
            : error is null || error.Kind == PassportErrorKind.NoPassport ? null
            : "invalid_token";

        var header = new StringBuilder(PassportHttpWire.ChallengeScheme);
        var separator = " ";
        void Add(string name, string? value)
        {
            if (value is null)
            {
                return;
            }

            header.Append(separator).Append(name).Append("=\"").Append(Inert(value)).Append('"');
            separator = ", ";
        }

        Add("error", code);
        Add("error_description", code is null || error is null ? null : $"{error.Name} ({error.Code})");
        Add("scope", scope);
        Add("resource_metadata", MetadataUrl(http.Request));
        http.Response.StatusCode = isForbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
        http.Response.Headers.Append(HeaderNames.WWWAuthenticate, header.ToString());
        return Task.CompletedTask;
    }

    /// <summary>403 when the Passport verified and only the permission was missing; any credential problem is 401.</summary>
    internal static bool IsForbidden(PassportDecision decision) =>
        decision.Passport is not null && decision.Error is { } e && !PassportProofErrors.IsProofError(e.Kind);

    private static string MetadataUrl(HttpRequest request) =>
        $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{PassportHttpWire.ProtectedResourceMetadataPath}";

    // A quoted-string that cannot end early or split the header: printable ASCII only, '"' and '\' escaped.
    internal static string Inert(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, 256));
        foreach (char c in value.AsSpan(0, Math.Min(value.Length, 256)))
        {
            if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else
            {
                text.Append(c is >= ' ' and < (char)0x7F ? c : '?');
            }
        }

        return text.ToString();
    }
}
