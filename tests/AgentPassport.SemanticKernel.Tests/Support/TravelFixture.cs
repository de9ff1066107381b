using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests.Support;

/// <summary>
/// One issuer, verifier, authorizer, audit sink and fake clock; a template kernel with flights, hotels, payments and admin
/// plugins whose chat client is the scripted model behind SK's own function-invocation loop; and Alice → Bob → Carol
/// built through the delegation service.
/// </summary>
public sealed class TravelFixture : IDisposable
{
    public const string IssuerUrl = "https://issuer.test";
    public const string ToolsAudience = "https://tools.example.com/";
    public const string AliceAudience = "https://alice.agents.example.com/";
    public const string BobAudience = "https://bob.agents.example.com/";
    public const string CarolAudience = "https://flights-agent.example.com/";
    public const string Principal = "user-alice-pairwise";

    public TravelFixture(bool includeDetailedDenials = false, int cacheSize = PassportVerifier.DefaultCacheCapacity, Func<TimeProvider, IRevocationStore>? revocations = null)
    {
        Keys = new InMemoryPassportKeyStore();
        Issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = Keys, TimeProvider = Time });
        Verifier = new PassportVerifier(Keys, Time, cacheSize) { Revocations = revocations?.Invoke(Time) };
        Authorizer = new PassportAuthorizer(Verifier,
            new PassportAuthorizerOptions { Policy = new VerificationPolicy(IssuerUrl, ToolsAudience), IncludeDetailedDenials = includeDetailedDenials },
            Sink, Time);
        Delegator = new PassportDelegator(Issuer, Authorizer);
        Delegation = new PassportKernelDelegator(Delegator);

        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IChatClient>(sp => new ChatClientBuilder(Model).UseKernelFunctionInvocation().Build(sp));
        builder.Plugins.AddFromObject(new FlightsPlugin(Counters), "flights");
        builder.Plugins.AddFromObject(new HotelsPlugin(Counters), "hotels");
        builder.Plugins.AddFromObject(new PaymentsPlugin(Counters), "payments");
        builder.Plugins.AddFromObject(new TravelAdminPlugin(Counters), "admin");
        Template = builder.Build().UseAgentPassport(Authorizer, passport: null);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public InMemoryPassportKeyStore Keys { get; }

    public PassportIssuer Issuer { get; }

    public PassportVerifier Verifier { get; }

    public InMemoryPassportAuditSink Sink { get; } = new();

    public PassportAuthorizer Authorizer { get; }

    public PassportDelegator Delegator { get; }

    public PassportKernelDelegator Delegation { get; }

    public ToolCounters Counters { get; } = new();

    public ScriptedChatClient Model { get; } = new ScriptedChatClient().WithTravelItem();

    public Kernel Template { get; }

    public static IdentityAssertion Identity() =>
        new("https://csp.example.com", Principal, "http://idmanagement.gov/ns/assurance/ial/2", new AssuranceLevels(2, 2, 2));

    public static RootPassportRequest AliceRequest(string agentId = "agent:alice") => new()
    {
        Identity = Identity(),
        AgentId = agentId,
        AgentModel = "model-a",
        Audience = AliceAudience,
        ToolScope = ["flights:*", "hotels:*", "payments:charge"],
        TaskPurpose = "plan a trip",
    };

    /// <summary>Alice (root) → Bob (flights:*, hotels:book) → Carol (flights:book), each a kernel from the delegation service.</summary>
    /// <param name="template">The kernel the agents' kernels are cloned from; <see cref="Template"/> when null.</param>
    public async Task<(Kernel Alice, Kernel Bob, Kernel Carol)> AliceBobCarolAsync(Kernel? template = null)
    {
        var alice = await Delegation.CreateAgentKernelAsync(template ?? Template, AliceRequest());
        var bob = await Delegation.DelegateAsync(alice, new DelegationRequest
        {
            AgentId = "agent:bob",
            AgentModel = "model-b",
            Audience = BobAudience,
            ToolScope = ["flights:*", "hotels:book"],
            TaskPurpose = "book travel",
        });
        var carol = await Delegation.DelegateAsync(bob, new DelegationRequest
        {
            AgentId = "agent:carol",
            AgentModel = "model-c",
            Audience = CarolAudience,
            ToolScope = ["flights:book"],
            TaskPurpose = "book SFO-JFK",
            Ttl = TimeSpan.FromMinutes(2),
        });
        return (alice, bob, carol);
    }

    public static KernelArguments AutoInvoke() =>
        new(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() });

    public void Dispose() => Keys.Dispose();
}
