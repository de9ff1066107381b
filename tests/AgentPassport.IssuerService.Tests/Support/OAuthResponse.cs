using System.Text.Json;

namespace AgentPassport.IssuerService.Tests;

/// <summary>Reads token-endpoint responses, asserting that refusals are RFC 6749 §5.2 bodies and nothing else.</summary>
internal static class OAuthResponse
{
    public static async Task<PassportContext> IssuedAsync(HttpResponseMessage response, string audience = IssuerHost.Audience)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(PassportTokenTypes.Passport, doc.RootElement.GetProperty("issued_token_type").GetString());
        var chain = doc.RootElement.GetProperty("agent_passport_chain").EnumerateArray().Select(e => e.GetString()!).ToArray();
        return new PassportContext(doc.RootElement.GetProperty("access_token").GetString()!, chain, audience);
    }

    /// <summary>Asserts an RFC 6749 error body with <paramref name="error"/>; returns the <c>agent_passport_error</c> kind (or null).</summary>
    public static async Task<string?> ErrorAsync(HttpResponseMessage response, string error, int status = 400)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal); // never a stack trace
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        Assert.Equal(error, root.GetProperty("error").GetString());
        string description = root.GetProperty("error_description").GetString()!;
        Assert.All(description, c => Assert.True(c is >= ' ' and <= '~' and not '"' and not '\\', $"error_description has {(int)c}"));
        foreach (var member in root.EnumerateObject())
        {
            Assert.Contains(member.Name, new[] { "error", "error_description", "agent_passport_error" });
        }

        return root.TryGetProperty("agent_passport_error", out var kind) ? kind.GetString() : null;
    }
}
