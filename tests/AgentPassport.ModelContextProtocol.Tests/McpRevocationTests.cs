using AgentPassport.ModelContextProtocol.Tests.Support;
using AgentPassport.TestSupport.Adapters;
using ModelContextProtocol.Client;

namespace AgentPassport.ModelContextProtocol.Tests;

/// <summary>Revoke Bob on a real MCP server (official client, Streamable HTTP): Carol's next call is refused, Alice's runs.</summary>
public sealed class McpRevocationTests : IAsyncLifetime
{
    private static readonly Dictionary<string, object?> Args = new() { ["item"] = "SFO-JFK" };
    private readonly McpServerFixture _server = new(); // its own server: this test revokes

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task RevokeBob_CarolsNextToolCallIsRefused_AlicesRuns_TreeShowsWhy()
    {
        await using var carol = await _server.ConnectAsync(McpServerFixture.Headers(_server.Carol));
        await using var alice = await _server.ConnectAsync(McpServerFixture.Headers(_server.Alice));
        Assert.NotEqual(true, (await carol.CallToolAsync("flights_book", Args)).IsError);
        Assert.Equal(1, _server.Runs.Runs("flights_book"));

        await new PassportRevoker(_server.Passports.Revocations, _server.Passports.Sink, _server.Passports.Time)
            .RevokeAsync(PassportReader.DecodeUnverified(_server.Bob.Token));

        var refused = await carol.CallToolAsync("flights_book", Args);
        Assert.True(refused.IsError);
        Assert.Equal(1, _server.Runs.Runs("flights_book"));

        Assert.NotEqual(true, (await alice.CallToolAsync("flights_book", Args)).IsError);
        Assert.Equal(2, _server.Runs.Runs("flights_book"));

        var denied = Assert.Single(_server.Passports.Sink.Events, e => e.Kind == PassportAuditEventKind.Denied);
        Assert.Equal(("agent:carol", (PassportErrorKind?)PassportErrorKind.Revoked), (denied.AgentId, denied.ErrorKind));
        var text = DelegationTree.Build(_server.Passports.Sink.Events).ToText();
        Assert.Contains("[REVOKED: jti]", text);
        Assert.Contains("[REVOKED via ancestor]", text);
    }
}
