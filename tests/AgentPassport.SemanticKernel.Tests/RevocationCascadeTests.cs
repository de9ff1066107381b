using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

/// <summary>Revoke Bob: Carol's next tool call is denied on every invocation path (SK, MEAI, Agent Framework), Alice's still runs, and the tree says why.</summary>
public sealed class RevocationCascadeTests
{
    public static TheoryData<InvocationPath> Paths() => [.. Enum.GetValues<InvocationPath>()];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task RevokeBob_CarolDeniedOnEveryPath_AliceAllowed_TreeMarksTheBranch(InvocationPath path)
    {
        InMemoryRevocationStore? store = null;
        using var f = new TravelFixture(revocations: time => store = new InMemoryRevocationStore(time)); // the tokens' clock

        var (alice, bob, carol) = await f.AliceBobCarolAsync();
        await PathRunner.RunAsync(path, f, carol, "flights.book"); // allowed, and the chain is now in the verifier's cache
        Assert.Equal(1, f.Counters.Runs("flights.book"));

        var bobPassport = PassportReader.DecodeUnverified(bob.GetPassport()!.Token);
        await new PassportRevoker(store!, f.Sink, f.Time).RevokeAsync(bobPassport);

        var denied = await PathRunner.RunAsync(path, f, carol, "flights.book");
        Assert.Equal(1, f.Counters.Runs("flights.book")); // the body did not run again
        Assert.All(denied.Denials, d => Assert.Equal(PassportErrorKind.Revoked, d.Error.Kind)); // where the path surfaces denials; the audit below is on every path

        await PathRunner.RunAsync(path, f, alice, "flights.book");
        Assert.Equal(2, f.Counters.Runs("flights.book"));

        var decisions = f.Sink.Events.Where(e => e.Kind is PassportAuditEventKind.Allowed or PassportAuditEventKind.Denied).ToList();
        Assert.Equal(3, decisions.Count);
        Assert.Equal((PassportAuditEventKind.Denied, "agent:carol", (PassportErrorKind?)PassportErrorKind.Revoked), (decisions[1].Kind, decisions[1].AgentId, decisions[1].ErrorKind));
        Assert.Equal((PassportAuditEventKind.Allowed, "agent:alice"), (decisions[2].Kind, decisions[2].AgentId));

        var text = DelegationTree.Build(f.Sink.Events).ToText();
        Assert.Contains("agent:bob [flights:*, hotels:book] aud=https://bob.agents.example.com/ exp=2026-06-01T12:05:00Z purpose=\"book travel\" [REVOKED: jti]", text);
        Assert.Contains("purpose=\"book SFO-JFK\" [REVOKED via ancestor]", text);
        Assert.Contains("DENIED flights:book (flights.book): Revoked AP0040", text);
        Assert.DoesNotContain("agent:alice [flights:*, hotels:*, payments:charge] aud=https://alice.agents.example.com/ exp=2026-06-01T12:15:00Z purpose=\"plan a trip\" [REVOKED", text);
    }

    [Fact]
    public async Task AddAgentPassport_UsesTheRegisteredRevocationStore()
    {
        using var keys = new InMemoryPassportKeyStore();
        var store = new InMemoryRevocationStore();
        var services = new ServiceCollection();
        services.AddSingleton<IPassportKeyResolver>(keys);
        services.AddSingleton<IRevocationStore>(store);
        services.AddAgentPassport(o => o.Policy = new VerificationPolicy(TravelFixture.IssuerUrl, TravelFixture.ToolsAudience));
        await using var provider = services.BuildServiceProvider();

        Assert.Same(store, provider.GetRequiredService<PassportVerifier>().Revocations);
    }
}
