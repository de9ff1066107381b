using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgentPassport.Testing;

/// <summary>
/// A deliberately misbehaving OpenID provider on a loopback port, for resilience tests: its discovery and JWKS
/// endpoints can be down (<see cref="StopAsync"/>), slow, fail with 500s (always, or the next N requests), or return
/// garbage, non-object JSON, a discovery document without <c>jwks_uri</c> or with the wrong issuer, or a JWKS without the
/// needed key (rotate <see cref="Tokens"/> without keeping the old key). When healthy it serves the keys of <see cref="Tokens"/>,
/// so tokens minted there validate. Restartable on the same port. Binds 127.0.0.1 only. Thread-safe.
/// </summary>
public sealed class FaultyHttpServer : IAsyncDisposable
{
    private readonly LoopbackWebHost _host;
    private int _failNext;
    private int _discoveryRequests;
    private int _jwksRequests;

    private FaultyHttpServer(string clientId, TimeProvider? timeProvider)
    {
        Tokens = new MockIdTokenMinter(clientId, timeProvider, "ES256");
        _host = new LoopbackWebHost(app =>
        {
            app.MapGet("/.well-known/openid-configuration", (Func<HttpContext, Task<IResult>>)(c => AnswerAsync(c, discovery: true)));
            app.MapGet("/jwks", (Func<HttpContext, Task<IResult>>)(c => AnswerAsync(c, discovery: false)));
        });
    }

    /// <summary>Gets the minter whose keys the JWKS endpoint publishes and whose issuer is this server's.</summary>
    public MockIdTokenMinter Tokens { get; }

    /// <summary>Gets the issuer, <c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    public string Issuer => Tokens.Issuer;

    /// <summary>Gets the discovery URL.</summary>
    public Uri DiscoveryUrl => new(Issuer + "/.well-known/openid-configuration");

    /// <summary>Gets the JWKS URL.</summary>
    public Uri JwksUri => new(Issuer + "/jwks");

    /// <summary>Gets or sets how the discovery endpoint answers.</summary>
    public FaultyHttpBehavior DiscoveryBehavior { get; set; }

    /// <summary>Gets or sets how the JWKS endpoint answers.</summary>
    public FaultyHttpBehavior JwksBehavior { get; set; }

    /// <summary>Gets or sets a JWKS document served instead of the keys of <see cref="Tokens"/> (for key filtering tests), or null.</summary>
    public string? JwksJson { get; set; }

    /// <summary>Gets or sets the delay of <see cref="FaultyHttpBehavior.Slow"/>.</summary>
    /// <value>Default 3 seconds.</value>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets how many discovery requests arrived.</summary>
    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    /// <summary>Gets how many JWKS requests arrived.</summary>
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>Creates and starts a server.</summary>
    /// <param name="clientId">The audience of minted tokens.</param>
    /// <param name="timeProvider">The clock for minted tokens.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<FaultyHttpServer> StartNewAsync(string clientId = "agent-passport-tests", TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var server = new FaultyHttpServer(clientId, timeProvider);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>Makes the next <paramref name="count"/> requests (any endpoint) answer HTTP 500; later ones follow the behaviours.</summary>
    /// <param name="count">How many.</param>
    public void FailNext(int count) => Volatile.Write(ref _failNext, count);

    /// <summary>Starts serving (again), on the same port as before when there was a before.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the server listens.</returns>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _host.StartAsync(cancellationToken).ConfigureAwait(false);
        Tokens.Issuer = $"http://127.0.0.1:{_host.Port}";
    }

    /// <summary>Stops serving: the provider is down and connections are refused until <see cref="StartAsync"/>.</summary>
    /// <param name="cancellationToken">Cancels the graceful stop.</param>
    /// <returns>A task that completes when the port is closed.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Tokens.Dispose();
    }

    private async Task<IResult> AnswerAsync(HttpContext context, bool discovery)
    {
        Interlocked.Increment(ref discovery ? ref _discoveryRequests : ref _jwksRequests);
        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            return Results.StatusCode(500);
        }

        Interlocked.Exchange(ref _failNext, 0);
        var behavior = discovery ? DiscoveryBehavior : JwksBehavior;
        switch (behavior)
        {
            case FaultyHttpBehavior.ServerError:
                return Results.StatusCode(500);
            case FaultyHttpBehavior.NotFound:
                return Results.NotFound();
            case FaultyHttpBehavior.Garbage:
                return Results.Text("<html>this is not JSON", "application/json");
            case FaultyHttpBehavior.NonObjectJson:
                return Results.Text("[\"not\", \"an\", \"object\"]", "application/json");
            case FaultyHttpBehavior.Slow:
                await Task.Delay(SlowDelay, context.RequestAborted).ConfigureAwait(false);
                break;
        }

        const string LoneSurrogate = "\"\\ud800\"";
        if (!discovery)
        {
            string jwks = behavior == FaultyHttpBehavior.NotAJwks ? "{\"keys\":\"none\"}" : JwksJson ?? Tokens.GetJwksJson();
            if (behavior == FaultyHttpBehavior.LoneSurrogate)
            {
                jwks = jwks.Replace($"\"kid\":\"{Tokens.CurrentKeyId}\"", "\"kid\":" + LoneSurrogate, StringComparison.Ordinal);
            }

            return Results.Text(jwks, "application/json");
        }

        var doc = new JsonObject
        {
            ["issuer"] = behavior == FaultyHttpBehavior.WrongIssuer ? "https://attacker.example" : Issuer,
            ["jwks_uri"] = JwksUri.AbsoluteUri,
            ["response_types_supported"] = new JsonArray("code"),
        };
        if (behavior == FaultyHttpBehavior.MissingJwksUri)
        {
            doc.Remove("jwks_uri");
        }

        string text = doc.ToJsonString();
        return Results.Text(behavior == FaultyHttpBehavior.LoneSurrogate ? text.Replace($"\"{Issuer}\"", LoneSurrogate, StringComparison.Ordinal) : text, "application/json");
    }
}
