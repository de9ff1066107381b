using System.Net;
using AgentPassport.Tests.Holder;
using AgentPassport.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentPassport.Tests.Http;

/// <summary>
/// The HTTP client side of the wire contract (spec v1.1 §15) against a real Kestrel server on loopback that reads the
/// three headers and checks them with the core verifier and proof verifier (one replay cache for the server).
/// </summary>
public sealed class PassportHttpMessageHandlerTests : IAsyncLifetime, IDisposable
{
    private readonly HolderFixture _h = new(new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience));
    private readonly InMemoryPassportReplayCache _replays;
    private readonly List<IHeaderDictionary> _seen = [];
    private WebApplication _app = null!;
    private Uri _base = null!;

    public PassportHttpMessageHandlerTests() => _replays = new InMemoryPassportReplayCache(timeProvider: _h.F.Time);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapMethods("/{**path}", ["GET", "POST"], (Delegate)CheckAsync);
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _h.Dispose();

    // The server: Passport and chain from the headers, then the proof for this request (htm/htu, or op when the client named one).
    private async Task<IResult> CheckAsync(HttpContext http)
    {
        lock (_seen)
        {
            _seen.Add(new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
        }

        string token = http.Request.Headers[PassportHttpHeaders.Passport].ToString();
        string[] chain = http.Request.Headers.TryGetValue(PassportHttpHeaders.Chain, out var c) ? c.ToString().Split(',') : [];
        var policy = new VerificationPolicy(PassportTestContext.IssuerUrl, PassportTestContext.FlightsAudience);
        var verified = await new PassportVerifier(_h.F.Keys, _h.F.Time).ValidateAsync(token, policy, chain);
        if (!verified.Succeeded)
        {
            return Results.Text(verified.Error.Name, statusCode: 401);
        }

        var expectation = http.Request.Query.TryGetValue("op", out var op)
            ? PassportProofExpectation.ForOperation(PassportTestContext.FlightsAudience, op.ToString())
            : PassportProofExpectation.ForHttp(PassportTestContext.FlightsAudience, http.Request.Method, new Uri(http.Request.GetEncodedUrl()));
        string? proof = http.Request.Headers.TryGetValue(PassportHttpHeaders.Proof, out var p) ? p.ToString() : null;
        var result = await new PassportProofVerifier(policy, _replays, _h.F.Time).VerifyAsync(verified.Passport, proof, expectation);
        return result.Succeeded ? Results.Text("ok " + result.ProofId) : Results.Text(result.Error.Name, statusCode: 401);
    }

    private HttpClient Client(PassportContext context) =>
        new(new PassportHttpMessageHandler(context, new SocketsHttpHandler { AllowAutoRedirect = false }, _h.F.Time)) { BaseAddress = _base };

    [Fact]
    public async Task EachRequest_CarriesThePassportTheChainRootFirst_AndAFreshProofOfThatRequest()
    {
        using var client = Client(_h.CarolInProcess);

        var first = await client.GetAsync("/flights/search?from=SFO");
        var second = await client.PostAsync("/flights/book", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, _seen.Count);
        Assert.All(_seen, h => Assert.Equal(_h.Carol.Token, h[PassportHttpHeaders.Passport].ToString()));
        Assert.All(_seen, h => Assert.Equal(_h.Alice.Token + "," + _h.Bob.Token, h[PassportHttpHeaders.Chain].ToString()));
        Assert.NotEqual(_seen[0][PassportHttpHeaders.Proof].ToString(), _seen[1][PassportHttpHeaders.Proof].ToString());
        Assert.NotEqual(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync()); // two jtis
    }

    [Fact]
    public async Task CapturedHeaders_ReplayedAsIs_AreReplayDetected_AndAtAnotherUrl_AreInvalidProof()
    {
        using (var client = Client(_h.CarolInProcess))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/flights/search")).StatusCode);
        }

        var captured = _seen[0];
        using var thief = new HttpClient { BaseAddress = _base };
        async Task<string> SendCapturedAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            foreach (var name in new[] { PassportHttpHeaders.Passport, PassportHttpHeaders.Chain, PassportHttpHeaders.Proof })
            {
                request.Headers.TryAddWithoutValidation(name, captured[name].ToString());
            }

            return await (await thief.SendAsync(request)).Content.ReadAsStringAsync();
        }

        Assert.Equal("ReplayDetected", await SendCapturedAsync("/flights/search"));
        Assert.Equal("InvalidProof", await SendCapturedAsync("/payments/charge"));
    }

    [Fact]
    public async Task TheOperationOption_MakesTheProofNameTheToolsScope()
    {
        using var client = Client(_h.CarolInProcess);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tools/call?op=flights:book");
        request.Options.Set(PassportHttpMessageHandler.Operation, "flights:book");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var htu = new HttpRequestMessage(HttpMethod.Post, "/tools/call?op=flights:book"); // no option: an htm/htu proof is not an op proof
        Assert.Equal("InvalidProof", await (await client.SendAsync(htu)).Content.ReadAsStringAsync());
    }

    [Fact]
    public void ABoundPassport_WithoutItsKey_OrWithAnotherKey_OrAFixedProof_IsRefusedAtSetup()
    {
        var noKey = Assert.Throws<InvalidOperationException>(() => new PassportHttpMessageHandler(_h.CarolStolen));
        Assert.Contains("WithHolderKey", noKey.Message);
        var otherKey = Assert.Throws<InvalidOperationException>(() => new PassportHttpMessageHandler(_h.CarolStolen.WithHolderKey(_h.ThiefKey)));
        Assert.Contains("not the key the Passport is bound to", otherKey.Message);
        var fixedProof = Assert.Throws<InvalidOperationException>(() => new PassportHttpMessageHandler(_h.CarolInProcess.WithProof(_h.CarolProof())));
        Assert.Contains("fresh proof", fixedProof.Message);
    }

    [Fact]
    public async Task PlainHttpToARemoteHost_AndARequestWithItsOwnPassportHeaders_AreRefusedBeforeSending()
    {
        using var client = Client(_h.CarolInProcess);

        var cleartext = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync("http://flights.example.com/search"));
        Assert.Contains("https only", cleartext.Message);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/flights/search");
        request.Headers.TryAddWithoutValidation(PassportHttpHeaders.Passport, _h.Bob.Token);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendAsync(request));
        Assert.Empty(_seen);
    }
}
