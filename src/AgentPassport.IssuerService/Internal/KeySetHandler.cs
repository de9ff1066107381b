using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AgentPassport.IssuerService;

/// <summary>The JWKS and the RFC 8414 metadata, both cacheable for the schedule's JWKS max-age.</summary>
internal static class KeySetHandler
{
    public static Task WriteJwksAsync(HttpContext http, IssuerServiceRuntime runtime)
    {
        // The pending key is already in VerificationKeys: published before it signs (spec v1.1 §15).
        _ = runtime.Issuer.KeyStore.CurrentSigningKey; // activates a due key, so the order shows the signing key first
        string jwks = Jwks.Export(runtime.Issuer.KeyStore.VerificationKeys);
        return WriteCacheableAsync(http, runtime, "application/jwk-set+json", jwks);
    }

    public static Task WriteMetadataAsync(HttpContext http, IssuerServiceRuntime runtime)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("issuer", runtime.Issuer.IssuerUrl);
            json.WriteString("jwks_uri", runtime.EndpointUrl(PassportIssuerEndpoints.Jwks));
            json.WriteString("token_endpoint", runtime.EndpointUrl(PassportIssuerEndpoints.Token));
            if (runtime.Revoker is not null)
            {
                json.WriteString("revocation_endpoint", runtime.EndpointUrl(PassportIssuerEndpoints.Revocation));
            }

            WriteArray(json, "grant_types_supported", [PassportTokenTypes.TokenExchangeGrant]);
            WriteArray(json, "token_endpoint_auth_methods_supported", ["none"]);
            WriteArray(json, "agent_passport_subject_token_types_supported",
                runtime.Options.IdentityValidator is null ? [PassportTokenTypes.Passport] : [PassportTokenTypes.IdToken, PassportTokenTypes.Passport]);
            WriteArray(json, "agent_passport_signing_alg_values_supported", [.. runtime.Issuer.KeyStore.VerificationKeys.Select(k => k.Algorithm).Distinct()]);
            json.WriteNumber("agent_passport_key_activation_delay", (long)runtime.Options.RotationSchedule.ActivationDelay.TotalSeconds);
            json.WriteEndObject();
        }

        return WriteCacheableAsync(http, runtime, "application/json", System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static Task WriteCacheableAsync(HttpContext http, IssuerServiceRuntime runtime, string contentType, string body)
    {
        long maxAge = (long)runtime.Options.RotationSchedule.JwksMaxAge.TotalSeconds;
        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"public, max-age={maxAge}");
        return http.Response.WriteAsync(body, http.RequestAborted);
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
