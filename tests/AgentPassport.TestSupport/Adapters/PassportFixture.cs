using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.TestSupport.Adapters;

/// <summary>
/// One issuer, verifier, authorizer, audit sink and fake clock, and Alice (root) → Bob (flights:*, hotels:book) →
/// Carol (flights:book) minted through the core <see cref="PassportDelegator"/>.
/// </summary>
public sealed class PassportFixture : IDisposable
{
    public const string IssuerUrl = "https://issuer.test";
    public const string ToolsAudience = "https://tools.example.com/";
    public const string Principal = "user-alice-pairwise";

    public PassportFixture(bool includeDetailedDenials = false)
    {
        Keys = new InMemoryPassportKeyStore();
        Issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = Keys, TimeProvider = Time });
        Revocations = new InMemoryRevocationStore(Time);
        Verifier = new PassportVerifier(Keys, Time, PassportVerifier.DefaultCacheCapacity) { Revocations = Revocations };
        Authorizer = new PassportAuthorizer(Verifier,
            new PassportAuthorizerOptions { Policy = new VerificationPolicy(IssuerUrl, ToolsAudience), IncludeDetailedDenials = includeDetailedDenials },
            Sink, Time);
        Delegator = new PassportDelegator(Issuer, Authorizer);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public InMemoryPassportKeyStore Keys { get; }

    public PassportIssuer Issuer { get; }

    public PassportVerifier Verifier { get; }

    /// <summary>Gets the revocation store the verifier consults (empty unless a test revokes).</summary>
    public InMemoryRevocationStore Revocations { get; }

    public InMemoryPassportAuditSink Sink { get; } = new();

    public PassportAuthorizer Authorizer { get; }

    public PassportDelegator Delegator { get; }

    public static IdentityAssertion Identity() =>
        new("https://csp.example.com", Principal, "http://idmanagement.gov/ns/assurance/ial/2", new AssuranceLevels(2, 2, 2));

    /// <summary>Alice → Bob → Carol, all for <paramref name="audience"/> (the tools' audience by default); Carol with <paramref name="carolConstraints"/> when given.</summary>
    public async Task<(PassportContext Alice, PassportContext Bob, PassportContext Carol)> AliceBobCarolAsync(string audience = ToolsAudience, PassportConstraints? carolConstraints = null)
    {
        var alice = await Delegator.IssueRootAsync(new RootPassportRequest
        {
            Identity = Identity(),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = audience,
            ToolScope = ["flights:*", "hotels:*", "payments:charge"],
            TaskPurpose = "plan a trip",
        });
        var bob = await Delegator.DelegateAsync(alice, new DelegationRequest
        {
            AgentId = "agent:bob",
            AgentModel = "model-b",
            Audience = audience,
            ToolScope = ["flights:*", "hotels:book"],
            TaskPurpose = "book travel",
        });
        var carol = await Delegator.DelegateAsync(bob, new DelegationRequest
        {
            AgentId = "agent:carol",
            AgentModel = "model-c",
            Audience = audience,
            ToolScope = ["flights:book"],
            TaskPurpose = "book SFO-JFK",
            Ttl = TimeSpan.FromMinutes(2),
            Constraints = carolConstraints ?? PassportConstraints.Empty,
        });
        return (alice, bob, carol);
    }

    /// <summary>The decisions recorded so far, as "agent allowed|denied scope" lines, in order.</summary>
    public IReadOnlyList<string> Decisions() => Sink.Events
        .Where(e => e.Kind != PassportAuditEventKind.Minted)
        .Select(e => $"{e.AgentId} {(e.Kind == PassportAuditEventKind.Allowed ? "allowed" : "denied")} {e.RequiredScope ?? "-"}")
        .ToList();

    public void Dispose() => Keys.Dispose();
}
