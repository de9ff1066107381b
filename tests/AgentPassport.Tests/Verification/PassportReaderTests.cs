using System.Security.Cryptography;
using System.Text;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Verification;

/// <summary>PassportReader: strict decoding without verification (for display), and the parent_hash definition.</summary>
public sealed class PassportReaderTests
{
    [Fact]
    public void DecodeUnverified_ReadsClaims_WithoutCheckingTheSignature()
    {
        using var key = PassportSigningKey.Generate();
        string token = TokenForge.Sign(TokenForge.RootClaims(), key);

        var p = PassportReader.DecodeUnverified(token[..^4] + "AAAA");

        Assert.Equal("agent:alice", p.AgentId);
        Assert.Equal(TokenForge.Principal, p.Subject);
    }

    [Fact]
    public void DecodeUnverified_UsesTheStrictParser()
    {
        using var key = PassportSigningKey.Generate();
        var claims = TokenForge.RootClaims();
        claims.Remove("exp");

        Assert.Equal(PassportErrorKind.InvalidToken, Assert.Throws<AgentPassportException>(() => PassportReader.DecodeUnverified("a.b")).Kind);
        Assert.Equal(PassportErrorKind.MalformedClaims, Assert.Throws<AgentPassportException>(() => PassportReader.DecodeUnverified(TokenForge.Sign(claims, key))).Kind);
        string dup = TokenForge.Sign(TokenForge.ToJson(TokenForge.HeaderFor(key)), TokenForge.ToJson(TokenForge.RootClaims())[..^1] + ",\"sub\":\"x\"}", key);
        Assert.Equal(PassportErrorKind.MalformedClaims, Assert.Throws<AgentPassportException>(() => PassportReader.DecodeUnverified(dup)).Kind);
    }

    [Fact]
    public void ComputeParentHash_IsBase64UrlSha256OfTheCompactToken()
    {
        const string Token = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln";

        Assert.Equal(TokenForge.B64(SHA256.HashData(Encoding.ASCII.GetBytes(Token))), PassportReader.ComputeParentHash(Token));
        Assert.Equal(43, PassportReader.ComputeParentHash(Token).Length);
        Assert.NotEqual(PassportReader.ComputeParentHash(Token), PassportReader.ComputeParentHash(Token + "A"));
        Assert.Throws<ArgumentNullException>(() => PassportReader.ComputeParentHash(null!));
    }
}
