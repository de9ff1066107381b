namespace AgentPassport.IssuerService.Tests;

/// <summary>Argument constraints (spec v1.1 §13) pass through the exchange and are attenuated by the core.</summary>
public sealed class ConstraintExchangeTests
{
    private const string Ceiling = """{"flights:book":{"amount":{"max":500}}}""";

    [Fact]
    public async Task NarrowerConstraints_AreMinted_WiderOrMissingOnes_AreInvalidScope()
    {
        await using var host = await IssuerHost.StartAsync();
        var alice = await OAuthResponse.IssuedAsync(await host.PostTokenAsync([.. IssuerHost.RootForm("flights:book"), ("agent_passport_constraints", Ceiling)]));
        Assert.False(PassportReader.DecodeUnverified(alice.Token).Constraints.IsEmpty);
        int minted = host.Minted;

        var wider = await host.PostTokenAsync([.. IssuerHost.ChildForm(alice, "flights:book"), ("agent_passport_constraints", """{"flights:book":{"amount":{"max":900}}}""")]);
        Assert.Equal("ScopeAttenuation", await OAuthResponse.ErrorAsync(wider, "invalid_scope"));
        var dropped = await host.PostTokenAsync(IssuerHost.ChildForm(alice, "flights:book"));
        Assert.Equal("ScopeAttenuation", await OAuthResponse.ErrorAsync(dropped, "invalid_scope"));
        Assert.Equal(minted, host.Minted);

        using var client = host.Client();
        var narrower = PassportConstraints.Parse("""{"flights:book":{"amount":{"max":100}}}""");
        var bob = await client.DelegateAsync(alice, new DelegationRequest { AgentId = "bob", AgentModel = "m", Audience = IssuerHost.Audience, ToolScope = ["flights:book"], Constraints = narrower });
        Assert.Equal(narrower, PassportReader.DecodeUnverified(bob.Token).Constraints);
    }

    [Fact]
    public async Task MalformedConstraints_AreInvalidRequest()
    {
        await using var host = await IssuerHost.StartAsync();
        await OAuthResponse.ErrorAsync(await host.PostTokenAsync([.. IssuerHost.RootForm("flights:book"), ("agent_passport_constraints", "{not json")]), "invalid_request");
        await OAuthResponse.ErrorAsync(await host.PostTokenAsync([.. IssuerHost.RootForm("flights:book"), ("agent_passport_constraints", """{"hotels:read":{"x":{"eq":1}}}""")]), "invalid_request");
        Assert.Equal(0, host.Minted);
    }
}
