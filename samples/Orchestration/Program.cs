// Orchestration: Microsoft Agent Framework workflows (sequential, handoff, group chat) with three agents, each acting
// under its own attenuated Passport. Every tool is a PassportGuardedAIFunction bound to the agent's Passport, so the
// orchestration cannot widen what an agent may do. Offline: each agent's model is scripted.
using AgentPassport;
using AgentPassport.Extensions.AI;
using AgentPassport.Testing;
using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;
using Orchestration;
using static AgentPassport.Samples.SampleConsole;

const string IssuerUrl = "https://my-passport-issuer.example.com";
const string Tools = "https://travel-tools.example.com/";

Section("1. The person signs in; the planner's root Passport is attenuated for two specialists");
await using var provider = await MockOpenIdProvider.StartNewAsync(new MockOpenIdProviderOptions { ClientId = "agent-passport-issuer" });
using var oidc = new OpenIdProviderClient(new OpenIdProviderClientOptions { DiscoveryUrl = provider.DiscoveryUrl });
var identity = await new IdTokenValidator(oidc, new IdTokenValidatorOptions { ClientId = provider.ClientId })
    .ValidateAsync(provider.MintIdToken(subject: "user-alice-pairwise"));
using var keys = new InMemoryPassportKeyStore();
var audit = new InMemoryPassportAuditSink();
var authorizer = new PassportAuthorizer(new PassportVerifier(keys),
    new PassportAuthorizerOptions { Policy = new VerificationPolicy(IssuerUrl, Tools) { RequireIal = 2 } }, audit);
var delegator = new PassportDelegator(new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = keys }), authorizer);

var planner = await delegator.IssueRootAsync(new RootPassportRequest
{
    Identity = identity, AgentId = "planner", AgentModel = "scripted-model", Audience = Tools,
    ToolScope = ["flights:*", "hotels:*"], TaskPurpose = "Plan the June trip",
});
var flightsAgent = await delegator.DelegateAsync(planner, new DelegationRequest
{
    AgentId = "flights-agent", AgentModel = "scripted-model", Audience = Tools, ToolScope = ["flights:search", "flights:book"],
});
var hotelsAgent = await delegator.DelegateAsync(planner, new DelegationRequest
{
    AgentId = "hotels-agent", AgentModel = "scripted-model", Audience = Tools, ToolScope = ["hotels:search"],
});
foreach (var (name, context) in new[] { ("planner", planner), ("flights-agent", flightsAgent), ("hotels-agent", hotelsAgent) })
{
    Field(name, List(PassportReader.DecodeUnverified(context.Token).ToolScope.ToStrings()));
}

var tools = new TravelTools();

// Each agent gets every tool, each wrapped with the agent's own Passport: what it may do is decided by the Passport, not the tool list.
AIAgent Agent(string name, PassportContext passport, Func<IReadOnlyList<string>, string?> script) =>
    new ChatClientAgent(new AgentScriptClient(name, script), instructions: null, name: name, description: $"the {name}",
        tools: [.. tools.All.Select(t => (AITool)new PassportGuardedAIFunction(t.Tool, authorizer, passport, t.Scope))]);

static Func<IReadOnlyList<string>, string?> Calls(string tool) => offered => offered.Contains(tool) ? tool : null;

async Task RunAsync(string title, Workflow workflow, string request)
{
    int before = audit.Events.Count;
    await using StreamingRun run = await InProcessExecution.RunStreamingAsync(workflow, new List<ChatMessage> { new(ChatRole.User, request) });
    await run.TrySendMessageAsync(new TurnToken(emitEvents: true));
    List<ChatMessage>? output = null;
    await foreach (var evt in run.WatchStreamAsync())
    {
        if (evt is WorkflowOutputEvent done && done.Is<List<ChatMessage>>(out var messages))
        {
            output = messages;
            break;
        }
    }

    Note($"{title}: decisions, in order");
    foreach (var e in audit.Events.Skip(before).Where(e => e.Kind != PassportAuditEventKind.Minted))
    {
        string verdict = e.Kind == PassportAuditEventKind.Allowed ? "ALLOWED" : $"DENIED  {e.ErrorKind} {e.ErrorCode}";
        Field(e.AgentId ?? "?", $"{verdict,-32} {e.ToolName} (needs {e.RequiredScope})");
    }

    Note("what the agents said");
    foreach (var m in output ?? [])
    {
        if (m.Contents.OfType<FunctionCallContent>().FirstOrDefault(c => c.Name.StartsWith("handoff", StringComparison.Ordinal)) is { } handoff)
        {
            Field(m.AuthorName ?? "assistant", $"calls {handoff.Name} (the framework's routing function; the next agent acts under its own Passport)");
        }
        else if (m.Role == ChatRole.Assistant && !string.IsNullOrWhiteSpace(m.Text))
        {
            Field(m.AuthorName ?? "assistant", m.Text);
        }
        else if (m.Contents.OfType<FunctionResultContent>().FirstOrDefault(r => r.Result is PassportDenial) is { Result: PassportDenial denial })
        {
            Field(m.AuthorName ?? "tool", $"tool result: {denial.Message}");
        }
    }
}

Section("2. Sequential: planner -> flights-agent -> hotels-agent");
await RunAsync("sequential", AgentWorkflowBuilder.BuildSequential(
[
    Agent("planner", planner, Calls("flights_search")),
    Agent("flights-agent", flightsAgent, Calls("flights_book")),
    Agent("hotels-agent", hotelsAgent, Calls("hotels_book")),
]), "Book my June trip");

Section("3. Handoff: the planner hands the booking to the flights agent");
var handoffPlanner = Agent("planner", planner, offered => offered.FirstOrDefault(t => t.StartsWith("handoff", StringComparison.Ordinal)));
var handoffFlights = Agent("flights-agent", flightsAgent, Calls("flights_book"));
await RunAsync("handoff", AgentWorkflowBuilder.CreateHandoffBuilderWith(handoffPlanner).WithHandoffs(handoffPlanner, [handoffFlights]).Build(),
    "Book the SFO -> JFK flight");

Section("4. Group chat (round robin, 3 turns): each agent tries a hotel booking");
var members = new[]
{
    Agent("planner", planner, Calls("hotels_book")),
    Agent("flights-agent", flightsAgent, Calls("hotels_book")),
    Agent("hotels-agent", hotelsAgent, Calls("hotels_search")),
};
await RunAsync("group chat", AgentWorkflowBuilder
    .CreateGroupChatBuilderWith(agents => new RoundRobinGroupChatManager(agents) { MaximumIterationCount = 3 })
    .AddParticipants(members).Build(), "Find and book a hotel");

Section("5. The audit tree");
Console.Write(DelegationTree.Build(audit.Events).ToText());
Field("tool bodies ran", tools.Runs);

Done();
var decisions = audit.Events.Where(e => e.Kind != PassportAuditEventKind.Minted).Select(e => $"{e.AgentId}:{e.ToolName}:{e.Kind}").ToList();
string[] expected =
[
    "planner:flights_search:Allowed", "flights-agent:flights_book:Allowed", "hotels-agent:hotels_book:Denied",
    "flights-agent:flights_book:Allowed",
    "planner:hotels_book:Allowed", "flights-agent:hotels_book:Denied", "hotels-agent:hotels_search:Allowed",
];
return decisions.SequenceEqual(expected) ? 0 : 1;
