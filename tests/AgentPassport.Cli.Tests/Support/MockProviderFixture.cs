using AgentPassport.Testing;

namespace AgentPassport.Cli.Tests.Support;

/// <summary>One mock OpenID provider (Kestrel on 127.0.0.1) shared by a test class.</summary>
public sealed class MockProviderFixture : IAsyncLifetime
{
    public MockOpenIdProvider Provider { get; private set; } = null!;

    public async Task InitializeAsync() => Provider = await MockOpenIdProvider.StartNewAsync();

    public async Task DisposeAsync() => await Provider.DisposeAsync();

    /// <summary>Points a sandbox at the provider through CSP_* variables.</summary>
    public void Configure(CliSandbox cli)
    {
        cli.Environment["CSP_DISCOVERY_URL"] = Provider.DiscoveryUrl.ToString();
        cli.Environment["CSP_CLIENT_ID"] = Provider.ClientId;
        cli.Environment["CSP_REDIRECT_URI"] = "http://127.0.0.1:0/callback";
    }
}
