using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentPassport.IssuerService.Tests;

/// <summary>The typed client against a service that answers badly: every outcome is a typed exception.</summary>
public sealed class ExchangeClientResponseTests
{
    private static readonly DelegationRequest Request = new() { AgentId = "a", AgentModel = "m", Audience = IssuerHost.Audience };

    [Fact]
    public async Task A502WithoutAnErrorBody_IsRetried_ThenTemporarilyUnavailable()
    {
        int calls = 0;
        await using var app = await StartAsync(async http =>
        {
            Interlocked.Increment(ref calls);
            http.Response.StatusCode = 502;
            await http.Response.WriteAsync("<html>bad gateway</html>");
        });
        using var client = Client(app);
        var error = await Assert.ThrowsAsync<PassportTokenExchangeException>(() => client.ExchangeIdTokenAsync("id-token:alice", Request));
        Assert.Equal("temporarily_unavailable", error.OAuthError);
        Assert.Equal(502, error.StatusCode);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task AnUnknownOrNumericErrorKind_IsNotTrusted()
    {
        await using var app = await StartAsync(async http =>
        {
            http.Response.StatusCode = 400;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync("""{"error":"invalid_grant","error_description":"no","agent_passport_error":"999"}""");
        });
        using var client = Client(app);
        var error = await Assert.ThrowsAsync<PassportTokenExchangeException>(() => client.ExchangeIdTokenAsync("id-token:alice", Request));
        Assert.Equal("invalid_grant", error.OAuthError);
        Assert.Null(error.Kind);
    }

    [Fact]
    public async Task ASuccessWithoutAToken_IsServerError()
    {
        await using var app = await StartAsync(http => http.Response.WriteAsync("""{"token_type":"N_A"}"""));
        using var client = Client(app);
        var error = await Assert.ThrowsAsync<PassportTokenExchangeException>(() => client.ExchangeIdTokenAsync("id-token:alice", Request));
        Assert.Equal("server_error", error.OAuthError);
    }

    private static PassportTokenExchangeClient Client(WebApplication app) => new(new PassportTokenExchangeClientOptions
    {
        IssuerUrl = new Uri(app.Urls.First()),
        MaxRetries = 2,
        RetryBaseDelay = TimeSpan.Zero,
    });

    private static async Task<WebApplication> StartAsync(RequestDelegate token)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/token", token);
        await app.StartAsync();
        return app;
    }
}
