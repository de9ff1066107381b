using Microsoft.AspNetCore.Builder;
using System.Text.Json;

namespace AgentPassport.IssuerService.Tests;

public sealed class TokenExchangeTests
{
    [Fact]
    public async Task IdToken_ExchangesForARootPassport_ThatVerifiesAgainstThePublishedJwks()
    {
        await using var host = await IssuerHost.StartAsync();
        var root = await OAuthResponse.IssuedAsync(await host.PostTokenAsync(IssuerHost.RootForm()));

        var passport = PassportReader.DecodeUnverified(root.Token);
        Assert.Equal("alice", passport.Subject);
        Assert.Equal(host.IssuerUrl, passport.Issuer);
        Assert.Equal(["flights:search", "flights:book"], passport.ToolScope.ToStrings());
        Assert.Empty(root.ChainTokens);

        // A verifier that knows only the JWKS URL accepts it.
        using var resolver = new RemoteJwksPassportKeyResolver(new RemoteJwksPassportKeyResolverOptions { JwksUrl = new Uri(host.IssuerUrl + "/jwks.json"), TimeProvider = host.Time });
        var verified = await new PassportVerifier(resolver, host.Time).VerifyAsync(root.Token, new VerificationPolicy(host.IssuerUrl, IssuerHost.Audience));
        Assert.Equal("alice-agent", verified.Passport.AgentId);
        Assert.Equal(1, host.Minted);
    }

    [Fact]
    public async Task Parent_ExchangesForANarrowerChild_AtAnyDepth()
    {
        await using var host = await IssuerHost.StartAsync();
        var alice = await OAuthResponse.IssuedAsync(await host.PostTokenAsync(IssuerHost.RootForm()));
        var bob = await OAuthResponse.IssuedAsync(await host.PostTokenAsync(IssuerHost.ChildForm(alice, "flights:book", "bob")));
        var carol = await OAuthResponse.IssuedAsync(await host.PostTokenAsync(IssuerHost.ChildForm(bob, "flights:book", "carol", IssuerHost.OtherAudience)), IssuerHost.OtherAudience);

        Assert.Equal([alice.Token, bob.Token], carol.ChainTokens);
        var verifier = new PassportVerifier(host.Keys, host.Time);
        var verified = await verifier.VerifyAsync(carol.Token, new VerificationPolicy(host.IssuerUrl, IssuerHost.OtherAudience), carol.ChainTokens);
        Assert.Equal("carol", verified.Passport.AgentId);
        Assert.Equal(2, verified.Passport.Depth);
    }

    [Fact]
    public async Task Widening_IsInvalidScope_AndNothingIsMinted()
    {
        await using var host = await IssuerHost.StartAsync();
        var alice = await OAuthResponse.IssuedAsync(await host.PostTokenAsync(IssuerHost.RootForm("flights:search")));
        int before = host.Minted;

        Assert.Equal("ScopeAttenuation", await OAuthResponse.ErrorAsync(await host.PostTokenAsync(IssuerHost.ChildForm(alice, "flights:book")), "invalid_scope"));
        Assert.Equal("ScopeAttenuation", await OAuthResponse.ErrorAsync(await host.PostTokenAsync(IssuerHost.ChildForm(alice, "flights:*")), "invalid_scope"));
        Assert.Equal(before, host.Minted);
    }

    [Fact]
    public async Task Root_BeyondTheCeiling_IsInvalidScope()
    {
        await using var host = await IssuerHost.StartAsync();
        await OAuthResponse.ErrorAsync(await host.PostTokenAsync(IssuerHost.RootForm("hotels:book")), "invalid_scope");
        await OAuthResponse.ErrorAsync(await host.PostTokenAsync(IssuerHost.RootForm("*")), "invalid_scope");
        Assert.Equal(0, host.Minted);
    }

    [Fact]
    public async Task UnknownAudience_IsInvalidTarget()
    {
        await using var host = await IssuerHost.StartAsync();
        await OAuthResponse.ErrorAsync(await host.PostTokenAsync(IssuerHost.RootForm(audience: "https://evil.example")), "invalid_target");
        var alice = await OAuthResponse.IssuedAsync(await host.PostTokenAsync(IssuerHost.RootForm()));
        await OAuthResponse.ErrorAsync(await host.PostTokenAsync(IssuerHost.ChildForm(alice, "flights:book", audience: "https://evil.example")), "invalid_target");
        Assert.Equal(1, host.Minted);
    }

    [Fact]
    public async Task InvalidIdToken_IsInvalidGrant()
    {
        await using var host = await IssuerHost.StartAsync();
        await OAuthResponse.ErrorAsync(await host.PostTokenAsync(IssuerHost.RootForm(idToken: "forged")), "invalid_grant");
        Assert.Equal(0, host.Minted);
    }

    [Fact]
    public async Task AnotherIssuersParent_IsInvalidGrant()
    {
        await using var host = await IssuerHost.StartAsync();
        using var otherKeys = new InMemoryPassportKeyStore();
        var other = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = "https://other-issuer.example", KeyStore = otherKeys, TimeProvider = host.Time });
        var foreign = other.Issue(new RootPassportRequest
        {
            Identity = new IdentityAssertion("https://idp.example", "alice"),
            AgentId = "alice-agent",
            AgentModel = "m",
            Audience = IssuerHost.Audience,
            ToolScope = ["flights:book"],
        });

        var kind = await OAuthResponse.ErrorAsync(await host.PostTokenAsync(IssuerHost.ChildForm(PassportContext.From(foreign), "flights:book")), "invalid_grant");
        Assert.Equal("UntrustedIssuer", kind);

        // Same issuer URL, another key: the signature, not the name, decides.
        using var thiefKeys = new InMemoryPassportKeyStore();
        var impostor = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = host.IssuerUrl, KeyStore = thiefKeys, TimeProvider = host.Time }).Issue(new RootPassportRequest
        {
            Identity = new IdentityAssertion("https://idp.example", "alice"),
            AgentId = "alice-agent",
            AgentModel = "m",
            Audience = IssuerHost.Audience,
            ToolScope = ["flights:book"],
        });
        Assert.Equal("KeyNotFound", await OAuthResponse.ErrorAsync(await host.PostTokenAsync(IssuerHost.ChildForm(PassportContext.From(impostor), "flights:book")), "invalid_grant"));
        Assert.Equal(0, host.Minted);
    }

    [Fact]
    public async Task Jwks_IsServedWithCacheControlFromTheSchedule_AndMetadataNamesTheEndpoints()
    {
        await using var host = await IssuerHost.StartAsync(o => o.RotationSchedule = new PassportKeyRotationSchedule { JwksMaxAge = TimeSpan.FromSeconds(45) });
        using var jwks = await host.Http.GetAsync("/jwks.json");
        Assert.Equal("public, max-age=45", jwks.Headers.CacheControl?.ToString());
        Assert.Equal("application/jwk-set+json", jwks.Content.Headers.ContentType?.MediaType);
        Assert.Single(Jwks.Import(await jwks.Content.ReadAsStringAsync()));

        using var metadata = await host.Http.GetAsync("/.well-known/oauth-authorization-server");
        using var doc = JsonDocument.Parse(await metadata.Content.ReadAsStringAsync());
        Assert.Equal(host.IssuerUrl, doc.RootElement.GetProperty("issuer").GetString());
        Assert.Equal(host.IssuerUrl + "/jwks.json", doc.RootElement.GetProperty("jwks_uri").GetString());
        Assert.Equal(host.IssuerUrl + "/token", doc.RootElement.GetProperty("token_endpoint").GetString());
        Assert.Equal(host.IssuerUrl + "/revoke", doc.RootElement.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(75, doc.RootElement.GetProperty("agent_passport_key_activation_delay").GetInt32());
    }

    [Fact]
    public async Task TypedClient_DelegatesAndSurfacesRefusalsAsTypedErrors()
    {
        await using var host = await IssuerHost.StartAsync();
        using var client = host.Client();
        var alice = await client.ExchangeIdTokenAsync("id-token:alice", new DelegationRequest { AgentId = "alice-agent", AgentModel = "m", Audience = IssuerHost.Audience, ToolScope = ["flights:search"] });
        var bob = await client.DelegateAsync(alice, new DelegationRequest { AgentId = "bob", AgentModel = "m", Audience = IssuerHost.Audience, ToolScope = ["flights:search"] });
        Assert.Equal([alice.Token], bob.ChainTokens);

        var refused = await Assert.ThrowsAsync<PassportTokenExchangeException>(() =>
            client.DelegateAsync(alice, new DelegationRequest { AgentId = "bob", AgentModel = "m", Audience = IssuerHost.Audience, ToolScope = ["flights:book"] }));
        Assert.Equal("invalid_scope", refused.OAuthError);
        Assert.Equal(PassportErrorKind.ScopeAttenuation, refused.Kind);
        Assert.Equal(400, refused.StatusCode);
    }

    [Fact]
    public void Setup_ThatCannotBeSecured_IsRefused()
    {
        using var keys = new InMemoryPassportKeyStore();
        var app = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder().Build();
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = "http://issuer.example", KeyStore = keys });
        var plainHttp = Assert.Throws<InvalidOperationException>(() => app.MapAgentPassportIssuer(new PassportIssuerServiceOptions { Issuer = issuer, Audiences = ["a"] }));
        Assert.Contains("https", plainHttp.Message, StringComparison.Ordinal);

        var https = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = "https://issuer.example", KeyStore = keys });
        Assert.Contains("Audiences", Assert.Throws<InvalidOperationException>(() => app.MapAgentPassportIssuer(new PassportIssuerServiceOptions { Issuer = https })).Message, StringComparison.Ordinal);
        Assert.Contains("Issuer", Assert.Throws<InvalidOperationException>(() => app.MapAgentPassportIssuer(new PassportIssuerServiceOptions { Audiences = ["a"] })).Message, StringComparison.Ordinal);
    }
}
