using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Support;

/// <summary>
/// Alice (root) → Bob → Carol minted by the core <see cref="PassportDelegator"/>, and one authorizer for the tools' audience
/// that records every mint and decision in <see cref="Sink"/>: the audit trail the delegation tree and telemetry are built from.
/// </summary>
public sealed class AuditedTravelChain : IDisposable
{
    public const string ToolsAudience = "https://tools.example.com/";

    public AuditedTravelChain()
    {
        Keys = new InMemoryPassportKeyStore();
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = PassportTestContext.IssuerUrl, KeyStore = Keys, TimeProvider = Time });
        Authorizer = new PassportAuthorizer(new PassportVerifier(Keys, Time),
            new PassportAuthorizerOptions { Policy = new VerificationPolicy(PassportTestContext.IssuerUrl, ToolsAudience) }, Sink, Time);
        Delegator = new PassportDelegator(issuer, Authorizer);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public InMemoryPassportKeyStore Keys { get; }

    public InMemoryPassportAuditSink Sink { get; } = new();

    public PassportAuthorizer Authorizer { get; }

    public PassportDelegator Delegator { get; }

    public async Task<(PassportContext Alice, PassportContext Bob, PassportContext Carol)> AliceBobCarolAsync()
    {
        var alice = await Delegator.IssueRootAsync(new RootPassportRequest
        {
            Identity = PassportTestContext.Identity(),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = "https://alice.agents.example.com/",
            ToolScope = ["flights:*", "hotels:*", "payments:charge"],
            TaskPurpose = "plan a trip",
        });
        var bob = await Delegator.DelegateAsync(alice, new DelegationRequest
        {
            AgentId = "agent:bob",
            AgentModel = "model-b",
            Audience = "https://bob.agents.example.com/",
            ToolScope = ["flights:*", "hotels:book"],
            TaskPurpose = "book travel",
        });
        var carol = await Delegator.DelegateAsync(bob, new DelegationRequest
        {
            AgentId = "agent:carol",
            AgentModel = "model-c",
            Audience = "https://flights-agent.example.com/",
            ToolScope = ["flights:book"],
            TaskPurpose = "book SFO-JFK",
            Ttl = TimeSpan.FromMinutes(2),
        });
        return (alice, bob, carol);
    }

    public void Dispose() => Keys.Dispose();
}
