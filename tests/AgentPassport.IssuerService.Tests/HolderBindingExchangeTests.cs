namespace AgentPassport.IssuerService.Tests;

/// <summary>Holder binding (spec v1.1 §11) over the token endpoint: a bound parent delegates only with its holder's proof.</summary>
public sealed class HolderBindingExchangeTests
{
    private static DelegationRequest Request(string agent, string scope = "flights:search") =>
        new() { AgentId = agent, AgentModel = "m", Audience = IssuerHost.Audience, ToolScope = [scope] };

    [Fact]
    public async Task BoundParent_WithItsProof_DelegatesToAChildBoundToItsOwnKey()
    {
        await using var host = await IssuerHost.StartAsync();
        using var client = host.Client();
        using var aliceKey = PassportHolderKey.Generate();
        var alice = await client.ExchangeIdTokenAsync("id-token:alice", Request("alice-agent"), aliceKey);
        Assert.Equal(aliceKey.Thumbprint, PassportReader.DecodeUnverified(alice.Token).HolderThumbprint);

        var bob = await client.DelegateAsync(alice, Request("bob"));
        var bobClaims = PassportReader.DecodeUnverified(bob.Token);
        Assert.NotNull(bob.HolderKey);
        Assert.Equal(bob.HolderKey!.Thumbprint, bobClaims.HolderThumbprint);
        Assert.NotEqual(aliceKey.Thumbprint, bobClaims.HolderThumbprint);
    }

    [Fact]
    public async Task BoundParent_WithoutProof_IsInvalidGrant_AndNothingIsMinted()
    {
        await using var host = await IssuerHost.StartAsync();
        using var client = host.Client();
        using var aliceKey = PassportHolderKey.Generate();
        using var thiefKey = PassportHolderKey.Generate();
        var alice = await client.ExchangeIdTokenAsync("id-token:alice", Request("alice-agent"), aliceKey);
        int minted = host.Minted;

        // A thief holding only the token: no proof.
        var stolen = new PassportContext(alice.Token, alice.ChainTokens, alice.Audience);
        var noProof = await host.PostTokenAsync([.. IssuerHost.ChildForm(stolen, "flights:search"), ("agent_passport_holder_jkt", thiefKey.Thumbprint)]);
        Assert.Equal("ProofRequired", await OAuthResponse.ErrorAsync(noProof, "invalid_grant"));

        // A proof signed by the thief's own key.
        string wrongProof = PassportProof.Create(thiefKey, host.IssuerUrl, alice.Token, PassportProof.DelegateOperation, timeProvider: host.Time);
        var mismatch = await host.PostTokenAsync([.. IssuerHost.ChildForm(stolen, "flights:search"), ("agent_passport_holder_jkt", thiefKey.Thumbprint), ("agent_passport_proof", wrongProof)]);
        Assert.Equal("HolderMismatch", await OAuthResponse.ErrorAsync(mismatch, "invalid_grant"));

        // Alice's proof, replayed.
        string proof = PassportProof.Create(aliceKey, host.IssuerUrl, alice.Token, PassportProof.DelegateOperation, timeProvider: host.Time);
        await OAuthResponse.IssuedAsync(await host.PostTokenAsync([.. IssuerHost.ChildForm(stolen, "flights:search"), ("agent_passport_holder_jkt", thiefKey.Thumbprint), ("agent_passport_proof", proof)]));
        var replay = await host.PostTokenAsync([.. IssuerHost.ChildForm(stolen, "flights:search"), ("agent_passport_holder_jkt", thiefKey.Thumbprint), ("agent_passport_proof", proof)]);
        Assert.Equal("ReplayDetected", await OAuthResponse.ErrorAsync(replay, "invalid_grant"));
        Assert.Equal(minted + 1, host.Minted);
    }

    [Fact]
    public async Task TypedClient_BoundParentWithoutItsKey_GetsATypedError()
    {
        await using var host = await IssuerHost.StartAsync();
        using var client = host.Client();
        using var aliceKey = PassportHolderKey.Generate();
        var alice = await client.ExchangeIdTokenAsync("id-token:alice", Request("alice-agent"), aliceKey);
        using var bobKey = PassportHolderKey.Generate();
        var refused = await Assert.ThrowsAsync<PassportTokenExchangeException>(() =>
            client.DelegateAsync(new PassportContext(alice.Token, alice.ChainTokens, alice.Audience), Request("bob"), bobKey));
        Assert.Equal("invalid_grant", refused.OAuthError);
        Assert.Equal(PassportErrorKind.ProofRequired, refused.Kind);
    }
}
