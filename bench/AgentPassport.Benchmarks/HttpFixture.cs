using AgentPassport.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentPassport.Benchmarks;

/// <summary>
/// An HTTP tool endpoint in ASP.NET Core's in-memory test server (the whole pipeline, no sockets), with and without the
/// Agent Passport handler: a bearer chain of 3 (Alice → Bob → Carol) and the same chain holder-bound, each link to its own
/// key, with a fresh proof per request (signed before the timed loop).
/// </summary>
public sealed class HttpFixture : IDisposable
{
    public const string Audience = "https://api.bench/";
    private const string Path = "/flights/UA1/book";
    private const string PlainPath = "/plain/flights/UA1/book";

    private readonly InMemoryPassportKeyStore _keys = new();
    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly PassportHolderKey[] _holders = [PassportHolderKey.Generate(), PassportHolderKey.Generate(), PassportHolderKey.Generate()];
    private readonly RequestDelegate _pipeline;
    private readonly IServiceScopeFactory _scopes;
    private string[] _proofs = [];

    public HttpFixture()
    {
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = BenchFixture.IssuerUrl, KeyStore = _keys, TimeProvider = TimeProvider.System });
        var verifier = new PassportVerifier(_keys, TimeProvider.System, PassportVerifier.DefaultCacheCapacity);
        var policy = new VerificationPolicy(BenchFixture.IssuerUrl, Audience);
        var authorizer = new PassportAuthorizer(verifier, new PassportAuthorizerOptions { Policy = policy, ReplayCache = new InMemoryPassportReplayCache(1_000_000) },
            new SkFixture.DiscardingAuditSink());
        Bearer = Chain(issuer, verifier, policy, bound: false);
        Bound = Chain(issuer, verifier, policy, bound: true);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddRouting();
        builder.Services.AddSingleton(authorizer);
        builder.Services.AddAuthentication().AddAgentPassport(o => o.Audience = Audience);
        _app = builder.Build();
        _app.UseRouting();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapPost("/plain/flights/{id}/book", (string id) => id);
        _app.MapPost("/flights/{id}/book", (string id) => id).RequirePassportScope("flights:book");
        _app.UseEndpoints(_ => { });
        _app.StartAsync().GetAwaiter().GetResult();
        _client = _app.GetTestClient();

        // The same middleware pipeline invoked directly (no test server, no HttpClient): with an in-memory key set and a
        // cached chain it completes on the calling thread, so the thread's CPU clock sees all of it.
        _pipeline = ((IApplicationBuilder)_app).Build();
        _scopes = _app.Services.GetRequiredService<IServiceScopeFactory>();
    }

    public PassportContext Bearer { get; }

    public PassportContext Bound { get; }

    /// <summary>The pipeline without the handler, invoked directly (same headers, nothing reads them).</summary>
    public void DirectPlain() => Invoke(PlainPath, Bearer, null);

    /// <summary>The pipeline behind the handler, invoked directly: a bearer leaf and its cached chain of 3.</summary>
    public void DirectBearer() => Invoke(Path, Bearer, null);

    /// <summary>The pipeline behind the handler, invoked directly: the bound chain with proof <paramref name="i"/>.</summary>
    public void DirectProof(int i) => Invoke(Path, Bound, _proofs[i]);

    /// <summary>The endpoint without the handler (same headers sent, nothing reads them).</summary>
    public void Plain() => Send(PlainPath, Bearer, null);

    /// <summary>The endpoint behind the handler: a bearer leaf and its cached chain of 3.</summary>
    public void WithBearer() => Send(Path, Bearer, null);

    /// <summary>The endpoint behind the handler: the bound chain of 3 with proof <paramref name="i"/> of this round.</summary>
    public void WithProof(int i) => Send(Path, Bound, _proofs[i]);

    /// <summary>Signs <paramref name="count"/> fresh proofs (each jti used once) before a timed round.</summary>
    public void PrepareProofs(int count) =>
        _proofs = [.. Enumerable.Range(0, count).Select(_ => PassportProof.Create(_holders[2], Audience, Bound.Token, "flights:book"))];

    public void Dispose()
    {
        _client.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
        foreach (var key in _holders)
        {
            key.Dispose();
        }

        _keys.Dispose();
    }

    private void Invoke(string path, PassportContext passport, string? proof)
    {
        using var scope = _scopes.CreateScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Method = "POST";
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("localhost");
        http.Request.Path = path;
        http.Request.Headers[PassportHttpWire.PassportHeaderName] = passport.Token;
        http.Request.Headers[PassportHttpWire.ChainHeaderName] = string.Join(',', passport.ChainTokens);
        if (proof is not null)
        {
            http.Request.Headers[PassportHttpWire.ProofHeaderName] = proof;
        }

        var pending = _pipeline(http);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
        }

        if (http.Response.StatusCode != StatusCodes.Status200OK)
        {
            throw new InvalidOperationException($"HTTP bench request refused: {http.Response.StatusCode} {http.Response.Headers.WWWAuthenticate}");
        }
    }

    private void Send(string path, PassportContext passport, string? proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, passport.Token);
        request.Headers.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, string.Join(',', passport.ChainTokens));
        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation(PassportHttpWire.ProofHeaderName, proof);
        }

        using var response = _client.SendAsync(request).GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"HTTP bench request refused: {(int)response.StatusCode} {string.Join(' ', response.Headers.WwwAuthenticate)}");
        }
    }

    private PassportContext Chain(PassportIssuer issuer, PassportVerifier verifier, VerificationPolicy policy, bool bound)
    {
        var root = issuer.Issue(new RootPassportRequest
        {
            Identity = new IdentityAssertion("https://csp.example.com", "user-alice", "http://idmanagement.gov/ns/assurance/ial/2", new AssuranceLevels(2, 2, 2)),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = Audience,
            ToolScope = ["flights:*"],
            Ttl = TimeSpan.FromHours(2),
            HolderThumbprint = bound ? _holders[0].Thumbprint : null,
        });
        var bob = Delegate(issuer, verifier, policy, root, "agent:bob", bound ? 0 : -1, bound ? 1 : -1);
        var carol = Delegate(issuer, verifier, policy, bob, "agent:carol", bound ? 1 : -1, bound ? 2 : -1);
        return PassportContext.From(carol, Audience);
    }

    private IssuedPassport Delegate(PassportIssuer issuer, PassportVerifier verifier, VerificationPolicy policy, IssuedPassport parent, string agent, int parentKey, int childKey)
    {
        var verified = verifier.VerifyAsync(parent.Token, policy, parent.ChainTokens).AsTask().GetAwaiter().GetResult();
        return issuer.Delegate(verified, new DelegationRequest
        {
            AgentId = agent,
            AgentModel = "model-" + agent,
            Audience = Audience,
            ToolScope = ["flights:*"],
            Ttl = TimeSpan.FromMinutes(60),
            HolderThumbprint = childKey >= 0 ? _holders[childKey].Thumbprint : null,
            ParentProof = parentKey >= 0 ? PassportProof.Create(_holders[parentKey], BenchFixture.IssuerUrl, parent.Token, PassportProof.DelegateOperation) : null,
        });
    }
}
