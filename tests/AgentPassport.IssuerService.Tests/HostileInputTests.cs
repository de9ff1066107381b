using System.Net;
using System.Text;

namespace AgentPassport.IssuerService.Tests;

/// <summary>The token endpoint under hostile input: typed RFC 6749 errors, no stack traces, nothing minted that should not be.</summary>
public sealed class HostileInputTests
{
    [Theory]
    [InlineData("text/plain", "grant_type=x")]
    [InlineData("application/json", "{\"grant_type\":\"urn:ietf:params:oauth:grant-type:token-exchange\"}")]
    [InlineData("application/x-www-form-urlencoded", "")]
    [InlineData("application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange")]
    [InlineData("application/x-www-form-urlencoded", "%%%&&&===")]
    [InlineData("application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=x&subject_token_type=urn%3Aagent-passport%3Atoken-type%3Apassport&audience=https%3A%2F%2Ftools.example&agent_id=b&agent_model=m")]
    [InlineData("application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=id-token%3Aalice&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token&audience=https%3A%2F%2Ftools.example&agent_id=a%0Ab&agent_model=m&scope=flights%3Abook")]
    [InlineData("application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=id-token%3Aalice&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token&audience=https%3A%2F%2Ftools.example&agent_id=a&agent_model=m&expires_in=-5")]
    [InlineData("application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=id-token%3Aalice&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token&audience=https%3A%2F%2Ftools.example&agent_id=a&agent_model=m&expires_in=99999999999999")]
    [InlineData("application/x-www-form-urlencoded", "grant_type=authorization_code&code=x")]
    public async Task MalformedRequests_AreTypedErrors_AndMintNothing(string contentType, string body)
    {
        await using var host = await IssuerHost.StartAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await host.Http.PostAsync("/token", content);
        string expected = body.StartsWith("grant_type=authorization_code", StringComparison.Ordinal) ? "unsupported_grant_type"
            : body.Contains("subject_token=x&", StringComparison.Ordinal) ? "invalid_grant" : "invalid_request";
        await OAuthResponse.ErrorAsync(response, expected);
        Assert.Equal(0, host.Minted);
    }

    [Fact]
    public async Task InvalidUtf8_IsInvalidRequest()
    {
        await using var host = await IssuerHost.StartAsync();
        using var content = new ByteArrayContent([.. "grant_type="u8, 0xC3, 0x28]);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        await OAuthResponse.ErrorAsync(await host.Http.PostAsync("/token", content), "invalid_request");
    }

    [Fact]
    public async Task OversizeBodies_AreRefused413_DeclaredOrChunked()
    {
        await using var host = await IssuerHost.StartAsync(o => o.MaxRequestBytes = 4096);
        string big = "grant_type=" + new string('a', 10_000);
        using var declared = new StringContent(big, Encoding.ASCII, "application/x-www-form-urlencoded");
        await OAuthResponse.ErrorAsync(await host.Http.PostAsync("/token", declared), "invalid_request", 413);

        using var chunked = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(big)));
        chunked.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await OAuthResponse.ErrorAsync(await host.Http.SendAsync(request), "invalid_request", 413);
        Assert.Equal(0, host.Minted);
    }

    [Fact]
    public async Task TooManyFields_AreRefused()
    {
        await using var host = await IssuerHost.StartAsync();
        string body = string.Join('&', Enumerable.Range(0, 100).Select(i => $"f{i}=v"));
        using var content = new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded");
        await OAuthResponse.ErrorAsync(await host.Http.PostAsync("/token", content), "invalid_request");
    }

    [Fact]
    public async Task HostileTextInTheRequest_ComesBackInert()
    {
        await using var host = await IssuerHost.StartAsync();
        var alice = await OAuthResponse.IssuedAsync(await host.PostTokenAsync(IssuerHost.RootForm("flights:search")));
        // A scope with a quote, a backslash and a line break: the description must stay one inert line.
        var response = await host.PostTokenAsync(IssuerHost.ChildForm(alice, "flights:\"book\\\n"));
        await OAuthResponse.ErrorAsync(response, "invalid_request");
    }

    [Fact]
    public async Task RateLimit_RefusesPastTheBucket_With429()
    {
        await using var host = await IssuerHost.StartAsync(o => o.RequestsPerSecondPerClient = 5);
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => host.PostTokenAsync(IssuerHost.RootForm(idToken: "forged"))));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        foreach (var limited in responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests))
        {
            await OAuthResponse.ErrorAsync(limited, "temporarily_unavailable", 429);
            Assert.Equal("1", limited.Headers.RetryAfter?.ToString());
        }

        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest) <= 10, "at most the bucket (plus a refill) got through");
    }

    [Fact]
    public async Task AThousandConcurrentExchanges_ValidOnesMint_WideningOnesAreTypedErrors()
    {
        await using var host = await IssuerHost.StartAsync();
        var alice = await OAuthResponse.IssuedAsync(await host.PostTokenAsync(IssuerHost.RootForm("flights:search")));
        int before = host.Minted;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(host.IssuerUrl) };

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
        {
            bool widening = i % 3 == 0;
            var form = IssuerHost.ChildForm(alice, widening ? "flights:book" : "flights:search", $"agent-{i}");
            using var response = await http.PostAsync("/token", new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));
            string body = await response.Content.ReadAsStringAsync();
            return (widening, response.StatusCode, body);
        }));

        int widenings = results.Count(r => r.widening);
        Assert.All(results.Where(r => r.widening), r =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains("\"error\":\"invalid_scope\"", r.body, StringComparison.Ordinal);
        });
        Assert.All(results.Where(r => !r.widening), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(before + 1000 - widenings, host.Minted);
        Assert.All(host.Audit.Events.Where(e => e.Kind == PassportAuditEventKind.Minted).Skip(before), e => Assert.Equal(["flights:search"], e.Scopes));
    }
}
