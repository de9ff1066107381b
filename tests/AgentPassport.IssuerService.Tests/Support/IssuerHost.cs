using System.Net;
using System.Net.Sockets;
using AgentPassport.IssuerService;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.IssuerService.Tests;

/// <summary>The issuer service on real Kestrel on a loopback port; it can be stopped and started again on the same port.</summary>
internal sealed class IssuerHost : IAsyncDisposable
{
    public const string Audience = "https://tools.example";
    public const string OtherAudience = "https://other.example";

    private WebApplication? _app;

    private IssuerHost(int port, FakeTimeProvider time, Action<PassportIssuerServiceOptions>? configure)
    {
        Port = port;
        Time = time;
        IssuerUrl = $"http://127.0.0.1:{port}";
        Keys = new InMemoryPassportKeyStore(timeProvider: time);
        Revocations = new InMemoryRevocationStore(time);
        Issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = Keys, TimeProvider = time, Revocations = Revocations });
        Options = new PassportIssuerServiceOptions
        {
            Issuer = Issuer,
            IdentityValidator = new TestIdentityValidator(),
            RootScopes = ["flights:*", "hotels:read"],
            Audiences = [Audience, OtherAudience],
            Revocations = Revocations,
            AuditSink = Audit,
            TimeProvider = time,
            RequestsPerSecondPerClient = 100_000,
            IsAdministrator = (http, _) => ValueTask.FromResult(http.Request.Headers["X-Test-Admin"] == "yes"),
        };
        configure?.Invoke(Options);
        Http = new HttpClient { BaseAddress = new Uri(IssuerUrl) };
    }

    public int Port { get; }

    public string IssuerUrl { get; }

    public FakeTimeProvider Time { get; }

    public InMemoryPassportKeyStore Keys { get; }

    public InMemoryRevocationStore Revocations { get; }

    public InMemoryPassportAuditSink Audit { get; } = new();

    public PassportIssuer Issuer { get; }

    public PassportIssuerServiceOptions Options { get; }

    public HttpClient Http { get; }

    public int Minted => Audit.Events.Count(e => e.Kind == PassportAuditEventKind.Minted);

    public static async Task<IssuerHost> StartAsync(Action<PassportIssuerServiceOptions>? configure = null, FakeTimeProvider? time = null)
    {
        var host = new IssuerHost(FreePort(), time ?? new FakeTimeProvider(DateTimeOffset.UtcNow), configure);
        await host.StartAppAsync();
        return host;
    }

    public async Task StartAppAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.MapAgentPassportIssuer(Options);
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAppAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>POSTs a form to the token endpoint.</summary>
    public Task<HttpResponseMessage> PostTokenAsync(params (string Name, string Value)[] fields) =>
        Http.PostAsync(PassportIssuerEndpoints.Token, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    public static (string, string)[] RootForm(string scope = "flights:search flights:book", string audience = Audience, string idToken = "id-token:alice") =>
    [
        ("grant_type", PassportTokenTypes.TokenExchangeGrant),
        ("subject_token", idToken),
        ("subject_token_type", PassportTokenTypes.IdToken),
        ("audience", audience),
        ("scope", scope),
        ("agent_id", "alice-agent"),
        ("agent_model", "test-model"),
    ];

    public static (string, string)[] ChildForm(PassportContext parent, string scope, string agentId = "bob", string audience = Audience)
    {
        List<(string, string)> form =
        [
            ("grant_type", PassportTokenTypes.TokenExchangeGrant),
            ("subject_token", parent.Token),
            ("subject_token_type", PassportTokenTypes.Passport),
            ("audience", audience),
            ("scope", scope),
            ("agent_id", agentId),
            ("agent_model", "test-model"),
        ];
        if (parent.ChainTokens.Count > 0)
        {
            form.Add(("agent_passport_chain", string.Join(',', parent.ChainTokens)));
        }

        return [.. form];
    }

    public PassportTokenExchangeClient Client(int maxRetries = 2) => new(new PassportTokenExchangeClientOptions
    {
        IssuerUrl = new Uri(IssuerUrl),
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.Zero,
    });

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        Http.Dispose();
        Keys.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
