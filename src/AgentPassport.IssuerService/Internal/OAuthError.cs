using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AgentPassport.IssuerService;

/// <summary>
/// RFC 6749 §5.2 error responses: <c>{"error":…,"error_description":…}</c> plus the Agent Passport error kind, never a
/// stack trace. The description is reduced to the characters §5.2 allows (printable ASCII without <c>"</c> and <c>\</c>),
/// so text an attacker chose (an agent id, a scope) comes back inert.
/// </summary>
internal static class OAuthError
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidGrant = "invalid_grant";
    public const string InvalidScope = "invalid_scope";
    public const string InvalidTarget = "invalid_target";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string TemporarilyUnavailable = "temporarily_unavailable";
    public const string ServerError = "server_error";

    private const int MaxDescription = 300;

    /// <summary>The RFC 6749 error and HTTP status for a refusal of the core.</summary>
    public static (int Status, string Error) For(PassportErrorKind kind) => kind switch
    {
        PassportErrorKind.ScopeAttenuation or PassportErrorKind.ScopeViolation or PassportErrorKind.WildcardScopeNotAllowed => (400, InvalidScope),
        PassportErrorKind.IssuanceRefused => (400, InvalidRequest),
        PassportErrorKind.JwksError or PassportErrorKind.DiscoveryError or PassportErrorKind.RevocationUnavailable or PassportErrorKind.ReplayCacheUnavailable => (503, TemporarilyUnavailable),
        _ => (400, InvalidGrant),
    };

    public static Task WriteAsync(HttpContext http, AgentPassportException refusal)
    {
        var (status, error) = For(refusal.Kind);
        return WriteAsync(http, status, error, refusal.Message, refusal.Error.Name);
    }

    public static Task WriteAsync(HttpContext http, int status, string error, string description, string? kind = null)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("error", error);
            json.WriteString("error_description", Inert(description));
            if (kind is not null)
            {
                json.WriteString("agent_passport_error", kind);
            }

            json.WriteEndObject();
        }

        return response.Body.WriteAsync(buffer.ToArray()).AsTask();
    }

    /// <summary>The RFC 6749 §5.2 character set (%x20-21 / %x23-5B / %x5D-7E); anything else becomes '?'.</summary>
    internal static string Inert(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxDescription));
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, MaxDescription)))
        {
            sb.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?');
        }

        return sb.ToString();
    }
}
