namespace AgentPassport.TestSupport.Interop;

/// <summary>
/// One real <c>oidc-provider</c> for a test class. Without Node.js the fixture fails every test of the class with a message
/// saying to install Node.js 20+; with <c>AGENT_PASSPORT_SKIP_NODE_INTEROP=1</c> (never set on CI) it starts nothing and the
/// tests return early, saying so in their output.
/// </summary>
public sealed class NodeOidcProviderFixture : IAsyncLifetime
{
    private NodeOidcProvider? _provider;

    public NodeOidcProvider Provider => _provider ?? throw new InvalidOperationException("The provider was not started.");

    public bool Skipped { get; private set; }

    public async Task InitializeAsync()
    {
        if (NodeOidcProvider.OptedOut)
        {
            Skipped = true;
            return;
        }

        _provider = await NodeOidcProvider.StartNewAsync();
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }
}
