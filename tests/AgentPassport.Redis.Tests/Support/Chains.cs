namespace AgentPassport.Redis.Tests.Support;

/// <summary>An issuer and in-memory keys minting root → child chains for the Redis tests.</summary>
public sealed class Chains : IDisposable
{
    public const string IssuerUrl = "https://issuer.test";
    public const string Audience = "https://tools.example.com/";

    public Chains(TimeProvider time)
    {
        Time = time;
        Keys = new InMemoryPassportKeyStore();
        Issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = Keys, TimeProvider = time });
    }

    public TimeProvider Time { get; }

    public InMemoryPassportKeyStore Keys { get; }

    public PassportIssuer Issuer { get; }

    public static VerificationPolicy Policy { get; } = new(IssuerUrl, Audience) { RequiredScope = "flights:search" };

    public PassportVerifier Verifier(IRevocationStore store) => new(Keys, Time, cacheCapacity: 1024) { Revocations = store };

    /// <summary>A root for <paramref name="agent"/>'s orchestrator and a child for <paramref name="agent"/>.</summary>
    public async Task<IssuedPassport> ChainAsync(string agent)
    {
        var root = Issuer.Issue(new RootPassportRequest
        {
            Identity = new IdentityAssertion("https://csp.example.com", "user-" + agent, "http://idmanagement.gov/ns/assurance/ial/2", new AssuranceLevels(2, 2, 2)),
            AgentId = "orchestrator-" + agent,
            AgentModel = "m",
            Audience = Audience,
            ToolScope = ["flights:*"],
        });
        var verifiedRoot = await new PassportVerifier(Keys, Time).VerifyAsync(root.Token, Policy);
        return Issuer.Delegate(verifiedRoot, new DelegationRequest { AgentId = agent, AgentModel = "m", Audience = Audience, ToolScope = ["flights:search"] });
    }

    public void Dispose() => Keys.Dispose();
}
