using AgentPassport.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Verification;

/// <summary>Spec v1.1 §10 (issue 13 item 4): a kid is looked up only in the key set of the token's own iss.</summary>
public sealed class PerIssuerTrustTests : IDisposable
{
    private const string IssuerA = TokenForge.Issuer;
    private const string IssuerB = "https://issuer-b.test";

    private readonly PassportSigningKey _keyA = PassportSigningKey.Generate();
    private readonly PassportSigningKey _keyB = PassportSigningKey.Generate();
    private readonly FakeTimeProvider _time = new(TokenForge.Now);

    private static VerificationPolicy BothIssuers => new([IssuerA, IssuerB], TokenForge.Audience);

    [Fact]
    public async Task TokenOfIssuerA_SignedByIssuerBsKey_IsKeyNotFound()
    {
        var verifier = new PassportVerifier(Registry(), _time);
        string forged = TokenForge.Sign(TokenForge.RootClaims(), _keyB); // iss = A, kid and signature of B's key

        var result = await verifier.ValidateAsync(forged, BothIssuers);

        Assert.Equal(PassportErrorKind.KeyNotFound, result.Error!.Kind);
        Assert.Equal(_keyB.KeyId, result.Error.Details.KeyId);
        Assert.Equal(IssuerA, result.Error.Details.Issuer);
        Assert.Equal(PassportAlgorithms.ES256, result.Error.Details.Algorithm);
    }

    [Fact]
    public async Task EachIssuersOwnTokens_Verify()
    {
        var verifier = new PassportVerifier(Registry(), _time);
        var claimsB = TokenForge.RootClaims();
        claimsB["iss"] = IssuerB;

        var a = await verifier.ValidateAsync(TokenForge.Sign(TokenForge.RootClaims(), _keyA), BothIssuers);
        var b = await verifier.ValidateAsync(TokenForge.Sign(claimsB, _keyB), BothIssuers);

        Assert.True(a.Succeeded, a.Error?.ToString());
        Assert.True(b.Succeeded, b.Error?.ToString());
    }

    [Fact]
    public async Task OneKeySetForTwoIssuers_IsRefusedAsMisuse_NotServed()
    {
        // The v1 shape (one resolver, several trusted issuers) is the hole itself: refused, never answered.
        var verifier = new PassportVerifier(new JwksPassportKeyResolver([_keyA.PublicKey, _keyB.PublicKey]), _time);
        string forged = TokenForge.Sign(TokenForge.RootClaims(), _keyB);

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await verifier.ValidateAsync(forged, BothIssuers));

        Assert.Contains("TrustedIssuers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Authorizer_OverAVerifierWithoutKeysForAPolicyIssuer_IsRefusedAtSetup()
    {
        var single = new PassportVerifier(new JwksPassportKeyResolver([_keyA.PublicKey]), _time);
        var onlyA = new PassportVerifier(new TrustedIssuers { { IssuerA, new JwksPassportKeyResolver([_keyA.PublicKey]) } }, _time);

        var twoIssuers = Assert.Throws<InvalidOperationException>(() => new PassportAuthorizer(single, new PassportAuthorizerOptions { Policy = BothIssuers }));
        var missing = Assert.Throws<InvalidOperationException>(() => new PassportAuthorizer(onlyA, new PassportAuthorizerOptions { Policy = BothIssuers }));

        Assert.Contains("TrustedIssuers", twoIssuers.Message, StringComparison.Ordinal);
        Assert.Contains(IssuerB, missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteredIssuerTheCallsPolicyDoesNotTrust_IsUntrustedIssuer()
    {
        var verifier = new PassportVerifier(Registry(), _time);
        var claimsB = TokenForge.RootClaims();
        claimsB["iss"] = IssuerB;

        var result = await verifier.ValidateAsync(TokenForge.Sign(claimsB, _keyB), new VerificationPolicy(IssuerA, TokenForge.Audience));

        Assert.Equal(PassportErrorKind.UntrustedIssuer, result.Error!.Kind);
        Assert.Equal(IssuerB, result.Error.Details.Issuer);
    }

    [Fact]
    public async Task CachedChain_IsServedOnlyWhileItsIssuersKeySetStillHoldsTheKey()
    {
        var keysOfA = new InMemoryPassportKeyStore(PassportSigningKey.Generate());
        var verifier = new PassportVerifier(new TrustedIssuers { { IssuerA, keysOfA }, { IssuerB, new JwksPassportKeyResolver([_keyB.PublicKey]) } }, _time, new VerifiedChainCache());
        string token = TokenForge.Sign(TokenForge.RootClaims(), keysOfA.CurrentSigningKey);

        var first = await verifier.ValidateAsync(token, BothIssuers);
        var again = await verifier.ValidateAsync(token, BothIssuers);

        Assert.True(first.Succeeded, first.Error?.ToString());
        Assert.True(again.Succeeded, again.Error?.ToString());
    }

    [Fact]
    public void TrustedIssuers_RefusesAnIssuerTwice() =>
        Assert.Throws<ArgumentException>(() => new TrustedIssuers { { IssuerA, new JwksPassportKeyResolver([_keyA.PublicKey]) }, { IssuerA, new JwksPassportKeyResolver([_keyB.PublicKey]) } });

    public void Dispose()
    {
        _keyA.Dispose();
        _keyB.Dispose();
    }

    private TrustedIssuers Registry() => new()
    {
        { IssuerA, new JwksPassportKeyResolver([_keyA.PublicKey]) },
        { IssuerB, new JwksPassportKeyResolver([_keyB.PublicKey]) },
    };
}
