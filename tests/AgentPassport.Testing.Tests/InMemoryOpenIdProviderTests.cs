using AgentPassport.Testing;

namespace AgentPassport.Testing.Tests;

/// <summary>The in-memory provider the notebooks and file-based walk-throughs use: the library's real client and validator run against it.</summary>
public sealed class InMemoryOpenIdProviderTests : IDisposable
{
    private const string ClientId = "notebook-client";
    private readonly MockIdTokenMinter _minter = new("https://login.example.gov", ClientId);
    private readonly InMemoryOpenIdProvider _provider;

    public InMemoryOpenIdProviderTests() => _provider = new InMemoryOpenIdProvider(_minter);

    [Fact]
    public async Task RealValidator_AcceptsTheMintersToken_ThroughDiscoveryAndJwks()
    {
        using var client = _provider.CreateClient();
        var validator = new IdTokenValidator(client, new IdTokenValidatorOptions { ClientId = ClientId });

        var identity = await validator.ValidateAsync(_minter.Mint(new MockIdTokenOptions { Subject = "user-alice" }));

        Assert.Equal("user-alice", identity.Subject);
        Assert.Equal(2, identity.Levels?.Ial);
        Assert.Equal(2, _provider.Requests);
    }

    [Fact]
    public async Task ATokenFromAnotherKey_IsRefused()
    {
        using var client = _provider.CreateClient();
        var validator = new IdTokenValidator(client, new IdTokenValidatorOptions { ClientId = ClientId });
        using var other = new MockIdTokenMinter("https://login.example.gov", ClientId);

        var ex = await Assert.ThrowsAsync<AgentPassportException>(async () => await validator.ValidateAsync(other.Mint()));

        Assert.Equal(PassportErrorKind.KeyNotFound, ex.Kind);
    }

    [Fact]
    public async Task OtherHostsAndPaths_AreNotFound()
    {
        using var http = new HttpClient(_provider, disposeHandler: false);

        using var elsewhere = await http.GetAsync(new Uri("https://attacker.example/.well-known/openid-configuration"));
        using var token = await http.GetAsync(new Uri("https://login.example.gov/token"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, token.StatusCode);
    }

    public void Dispose()
    {
        _provider.Dispose();
        _minter.Dispose();
    }
}
