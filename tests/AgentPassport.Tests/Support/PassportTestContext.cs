using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Support;

/// <summary>An issuer, a verifier and a fake clock sharing one in-memory key store: the fixture most tests start from.</summary>
public sealed class PassportTestContext : IDisposable
{
    public const string IssuerUrl = "https://issuer.test";
    public const string AliceAudience = "https://service-a.example.com/";
    public const string BobAudience = "https://service-b.example.com/";
    public const string FlightsAudience = "https://flights-mcp.example.com/";
    public const string Principal = "user-alice-pairwise";
    public const string Ial2Acr = "http://idmanagement.gov/ns/assurance/ial/2";

    public PassportTestContext(string algorithm = PassportAlgorithms.ES256)
    {
        Keys = new InMemoryPassportKeyStore(algorithm);
        Issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = Keys, TimeProvider = Time });
        Verifier = new PassportVerifier(Keys, Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public InMemoryPassportKeyStore Keys { get; }

    public PassportIssuer Issuer { get; }

    public PassportVerifier Verifier { get; }

    public static IdentityAssertion Identity(int level = 2) =>
        new("https://csp.example.com", Principal, $"http://idmanagement.gov/ns/assurance/ial/{level}", new AssuranceLevels(level, level, level));

    public static VerificationPolicy Policy(string audience, string? requiredScope = null, int requireIal = 0) =>
        new(IssuerUrl, audience) { RequiredScope = requiredScope, RequireIal = requireIal };

    public IssuedPassport IssueAlice(params string[] scopes) => Issuer.Issue(new RootPassportRequest
    {
        Identity = Identity(),
        AgentId = "agent:alice",
        AgentModel = "model-a",
        Audience = AliceAudience,
        ToolScope = scopes.Length == 0 ? ["flights:*", "hotels:*", "calendar:*"] : scopes,
        TaskPurpose = "plan a trip",
    });

    public async Task<VerifiedPassport> VerifyAsync(IssuedPassport issued, string? requiredScope = null) =>
        await Verifier.VerifyAsync(issued.Token, Policy(issued.Passport.Audience, requiredScope), issued.ChainTokens);

    /// <summary>Verifies <paramref name="parent"/> (with its chain, at its own audience) and delegates to <paramref name="agentId"/>.</summary>
    public async Task<IssuedPassport> DelegateAsync(IssuedPassport parent, string agentId, string[] scopes, string audience, TimeSpan? ttl = null) =>
        Issuer.Delegate(await VerifyAsync(parent), new DelegationRequest
        {
            AgentId = agentId,
            AgentModel = "model-" + agentId,
            Audience = audience,
            ToolScope = scopes,
            Ttl = ttl,
        });

    /// <summary>Verifies <paramref name="issued"/> with its chain without throwing.</summary>
    public async Task<PassportValidationResult> ValidateAsync(IssuedPassport issued, VerificationPolicy? policy = null) =>
        await Verifier.ValidateAsync(issued.Token, policy ?? Policy(issued.Passport.Audience), issued.ChainTokens);

    /// <summary>Alice (root) → Bob (flights:*) → Carol (flights:book), each verified on the way.</summary>
    public async Task<(IssuedPassport Alice, IssuedPassport Bob, IssuedPassport Carol)> AliceBobCarolAsync()
    {
        var alice = IssueAlice();
        var bob = Issuer.Delegate(await VerifyAsync(alice), new DelegationRequest
        {
            AgentId = "agent:bob",
            AgentModel = "model-b",
            Audience = BobAudience,
            ToolScope = ["flights:*"],
        });
        var carol = Issuer.Delegate(await VerifyAsync(bob), new DelegationRequest
        {
            AgentId = "agent:carol",
            AgentModel = "model-c",
            Audience = FlightsAudience,
            ToolScope = ["flights:book"],
            TaskPurpose = "book SFO-JFK",
        });
        return (alice, bob, carol);
    }

    public void Dispose() => Keys.Dispose();
}
