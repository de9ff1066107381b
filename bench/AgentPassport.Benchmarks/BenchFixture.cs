using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.Internal;
using AgentPassport.Jose;

namespace AgentPassport.Benchmarks;

/// <summary>
/// Everything the benchmarks share: one ES256 issuer key, the raw-crypto baselines on that same key and signing input,
/// a delegation chain of 1..9 tokens (root + up to 8 hops), fresh leaves for the cached-parents case, hostile inputs.
/// </summary>
public sealed class BenchFixture : IDisposable
{
    public const int MaxTokens = PassportLimits.MaxChainDepth + 1;
    public const string IssuerUrl = "https://issuer.bench";
    private const string Principal = "user-alice-pairwise";

    public BenchFixture(int freshLeavesPerLength = 48)
    {
        Keys = new InMemoryPassportKeyStore();
        Issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = Keys, TimeProvider = TimeProvider.System });
        ColdVerifier = new PassportVerifier(Keys, TimeProvider.System);

        // Raw baselines: the same P-256 key (exported once) and the same signing input as the root token.
        RawSigner = ECDsa.Create();
        RawSigner.ImportPkcs8PrivateKey(Keys.CurrentSigningKey.ExportPkcs8(), out _);
        RawVerifier = ECDsa.Create(RawSigner.ExportParameters(false));

        RootRequest = new RootPassportRequest
        {
            Identity = new IdentityAssertion("https://csp.example.com", Principal, "http://idmanagement.gov/ns/assurance/ial/2", new AssuranceLevels(2, 2, 2)),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = Audience(1),
            ToolScope = ["flights:*", "hotels:*", "calendar:*"],
            TaskPurpose = "plan a trip",
            Ttl = TimeSpan.FromHours(2),
        };

        // Chain[k] is the (k+1)-th token: Chain[0] the root, Chain[8] eight hops below it.
        Chain = new IssuedPassport[MaxTokens];
        Verified = new VerifiedPassport[MaxTokens];
        Chain[0] = Issuer.Issue(RootRequest);
        Verified[0] = Verify(Chain[0]);
        for (int k = 1; k < MaxTokens; k++)
        {
            Chain[k] = Issuer.Delegate(Verified[k - 1], ChildRequest(k, Audience(k + 1)));
            Verified[k] = Verify(Chain[k]);
        }

        RootToken = Chain[0].Token;
        SigningInput = Encoding.ASCII.GetBytes(RootToken[..RootToken.LastIndexOf('.')]);
        Signature = CanonicalBase64Url.DecodeCanonical(RootToken.AsSpan(RootToken.LastIndexOf('.') + 1))!;

        // Fresh leaves: for a chain of n tokens, leaves that sit where Chain[n-1] sits (same parents, same audience).
        FreshLeaves = new string[MaxTokens + 1][];
        for (int n = 2; n <= MaxTokens; n++)
        {
            FreshLeaves[n] = new string[freshLeavesPerLength];
            for (int i = 0; i < freshLeavesPerLength; i++)
            {
                FreshLeaves[n][i] = Issuer.Delegate(Verified[n - 2], ChildRequest(n - 1, Audience(n))).Token;
            }
        }

        Garbage = BuildGarbage(RootToken.Length);
        Oversize = new string('A', PassportLimits.MaxTokenBytes + 1024);
        MaxSizeBadSignatureManyClaims = BuildMaxSize(manyClaims: true);
        MaxSizeBadSignatureLongStrings = BuildMaxSize(manyClaims: false);
    }

    public InMemoryPassportKeyStore Keys { get; }

    public PassportIssuer Issuer { get; }

    /// <summary>Gets a verifier without a cache: every call checks every signature.</summary>
    public PassportVerifier ColdVerifier { get; }

    public ECDsa RawSigner { get; }

    public ECDsa RawVerifier { get; }

    public RootPassportRequest RootRequest { get; }

    public IssuedPassport[] Chain { get; }

    public VerifiedPassport[] Verified { get; }

    public string RootToken { get; }

    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    /// <summary>Gets, per chain length n (2..9), leaves never seen before whose n-1 parents are Chain[0..n-2].</summary>
    public string[][] FreshLeaves { get; }

    public string Garbage { get; }

    public string Oversize { get; }

    public string MaxSizeBadSignatureManyClaims { get; }

    public string MaxSizeBadSignatureLongStrings { get; }

    /// <summary>Gets the number of claims (members of the payload object) in <see cref="MaxSizeBadSignatureManyClaims"/>.</summary>
    public int MaxSizeClaimCount { get; private set; }

    public static string Audience(int n) => $"https://service-{n}.example.com/";

    /// <summary>The policy for a chain of <paramref name="n"/> tokens: the leaf's audience.</summary>
    public static VerificationPolicy PolicyFor(int n, string? requiredScope = null) =>
        new(IssuerUrl, Audience(n)) { RequiredScope = requiredScope };

    /// <summary>The leaf and parents of the chain of <paramref name="n"/> tokens.</summary>
    public (string Leaf, string[] Parents) ChainOf(int n) => (Chain[n - 1].Token, [.. Chain[..(n - 1)].Select(c => c.Token)]);

    public DelegationRequest ChildRequest(int hop, string audience) => new()
    {
        AgentId = $"agent:{hop}",
        AgentModel = "model-x",
        Audience = audience,
        ToolScope = ["flights:*"],
        TaskPurpose = "book a flight",
        Ttl = TimeSpan.FromHours(2),
    };

    public bool RawVerify() => RawVerifier.VerifyData(SigningInput, Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public byte[] RawSign() => RawSigner.SignData(SigningInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose()
    {
        RawSigner.Dispose();
        RawVerifier.Dispose();
        Keys.Dispose();
    }

    private VerifiedPassport Verify(IssuedPassport issued) =>
        ColdVerifier.VerifyAsync(issued.Token, new VerificationPolicy(IssuerUrl, issued.Passport.Audience), issued.ChainTokens).AsTask().GetAwaiter().GetResult();

    /// <summary>Three base64url segments of random bytes, the size of a real token: passes the character scan, fails on the header.</summary>
    private static string BuildGarbage(int length)
    {
        var random = new Random(8);
        byte[] bytes = new byte[length * 3 / 4];
        random.NextBytes(bytes);
        string text = CanonicalBase64Url.Encode(bytes);
        int third = text.Length / 3;
        return $"{text[..third]}.{text[third..(2 * third)]}.{text[(2 * third)..]}";
    }

    /// <summary>
    /// A well-formed Passport as close to 16 KiB as possible with a valid-length signature that does not verify.
    /// Many claims is the parser's worst case (one member name per few bytes); long strings is the realistic one.
    /// </summary>
    private string BuildMaxSize(bool manyClaims)
    {
        string token = RootToken;
        int dot1 = token.IndexOf('.', StringComparison.Ordinal), dot2 = token.LastIndexOf('.');
        string header = token[..dot1];
        var claims = JsonNode.Parse(CanonicalBase64Url.DecodeCanonical(token.AsSpan(dot1 + 1, dot2 - dot1 - 1)))!.AsObject();
        string otherSignature = Chain[1].Token[(Chain[1].Token.LastIndexOf('.') + 1)..];
        int budget = PassportLimits.MaxTokenBytes - header.Length - otherSignature.Length - 2;
        string Payload() => CanonicalBase64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(claims));

        if (manyClaims)
        {
            for (int i = 0; Payload().Length < budget - 16; i++)
            {
                claims[$"c{i}"] = 0;
            }

            while (Payload().Length > budget)
            {
                claims.Remove(claims.Last().Key);
            }
        }
        else
        {
            int room = budget * 3 / 4 - JsonSerializer.SerializeToUtf8Bytes(claims).Length - 40;
            claims[PassportClaimNames.TaskPurpose] = new string('p', room);
            while (Payload().Length > budget)
            {
                claims[PassportClaimNames.TaskPurpose] = new string('p', --room);
            }
        }

        if (manyClaims)
        {
            MaxSizeClaimCount = claims.Count;
        }

        string result = $"{header}.{Payload()}.{otherSignature}";
        return result.Length <= PassportLimits.MaxTokenBytes ? result : throw new InvalidOperationException("max-size token too large");
    }
}
