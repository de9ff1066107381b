// Orchestration: Microsoft Agent Framework workflows (sequential, handoff, group chat) with three agents, each acting
// under its own attenuated Passport, minted by PassportAgentDelegator and enforced by the Agent Framework adapter
// (UseAgentPassport) on every tool call, so the orchestration cannot widen what an agent may do. Offline: each agent's model is scripted.
using AgentPassport;
using AgentPassport.AgentFramework;
using AgentPassport.Extensions.AI;
using AgentPassport.Samples;
using AgentPassport.Testing;
using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;
using Orchestration;
using static AgentPassport.Samples.SampleConsole;

const string IssuerUrl = "https://my-passport-issuer.example.com";
const string Tools = "https://travel-tools.example.com/";

Section("1. The person signs in; the planner's root Passport is attenuated for two specialists");
await using var signIn = await SampleSignIn.StartAsync();   // Shared/Identity: the Quickstart's sign-in, in one call
var identity = await signIn.ValidateAsync();
using var keys = new InMemoryPassportKeyStore();
await using var auditLog = await SampleAuditLog.OpenAsync("orchestration"); // SQLite, hash-chained, signed
var audit = auditLog.Memory;
var authorizer = new PassportAuthorizer(new PassportVerifier(keys, cacheCapacity: PassportVerifier.DefaultCacheCapacity),
    new PassportAuthorizerOptions { Policy = new VerificationPolicy(IssuerUrl, Tools) { RequireIal = 2 } }, auditLog);
var delegator = new PassportDelegator(new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = keys }), authorizer);
var delegation = new PassportAgentDelegator(delegator, authorizer);
var tools = new TravelTools();

// Each agent gets every tool: what it may do is decided by its own Passport, not by the tool list. The delegation service
// mints the Passport and returns the agent acting under it (UseAgentPassport: every tool call goes through the authorizer).
ChatClientAgent Model(string name, Func<IReadOnlyList<string>, string?> script) =>
    new(new ScriptedChatClient(name, script) { Arguments = { ["item"] = "SFO -> JFK, 2026-06-12" } },
        instructions: null, name: name, description: $"the {name}", tools: [.. tools.All]);

var planner = await delegation.CreateAgentAsync(Model("planner", Calls("flights_search")), new RootPassportRequest
{
    Identity = identity, AgentId = "planner", AgentModel = "scripted-model", Audience = Tools,
    ToolScope = ["flights:*", "hotels:*"], TaskPurpose = "Plan the June trip",
});
var flightsAgent = await delegation.DelegateAsync(planner, Model("flights-agent", Calls("flights_book")), new DelegationRequest
{
    AgentId = "flights-agent", AgentModel = "scripted-model", Audience = Tools, ToolScope = ["flights:search", "flights:book"],
});
var hotelsAgent = await delegation.DelegateAsync(planner, Model("hotels-agent", Calls("hotels_book")), new DelegationRequest
{
    AgentId = "hotels-agent", AgentModel = "scripted-model", Audience = Tools, ToolScope = ["hotels:search"],
});
foreach (var agent in new[] { planner, flightsAgent, hotelsAgent })
{
    Field(agent.Name!, List(PassportReader.DecodeUnverified(agent.GetPassport()!.Token).ToolScope.ToStrings()));
}

// The same agent with another script for a later workflow: the same Passport, enforced the same way.
AIAgent Again(AIAgent agent, Func<IReadOnlyList<string>, string?> script) =>
    Model(agent.Name!, script).AsBuilder().UseAgentPassport(authorizer, agent.GetPassport()!).Build();

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
await RunAsync("sequential", AgentWorkflowBuilder.BuildSequential([planner, flightsAgent, hotelsAgent]), "Book my June trip");

Section("3. Handoff: the planner hands the booking to the flights agent");
var handoffPlanner = Again(planner, offered => offered.FirstOrDefault(t => t.StartsWith("handoff", StringComparison.Ordinal)));
var handoffFlights = Again(flightsAgent, Calls("flights_book"));
await RunAsync("handoff", AgentWorkflowBuilder.CreateHandoffBuilderWith(handoffPlanner).WithHandoffs(handoffPlanner, [handoffFlights]).Build(),
    "Book the SFO -> JFK flight");

Section("4. Group chat (round robin, 3 turns): each agent tries a hotel booking");
var members = new[]
{
    Again(planner, Calls("hotels_book")),
    Again(flightsAgent, Calls("hotels_book")),
    Again(hotelsAgent, Calls("hotels_search")),
};
await RunAsync("group chat", AgentWorkflowBuilder
    .CreateGroupChatBuilderWith(agents => new RoundRobinGroupChatManager(agents) { MaximumIterationCount = 3 })
    .AddParticipants(members).Build(), "Find and book a hotel");

Section("5. Carol, the flights agent's sub-agent, may book flights only for amount <= 500 to JFK or LGA");
// Argument constraints (spec v1.1 §13): the flights agent delegates flights:book with limits. The delegation service
// checks them against Carol's tools first (a constraint on a parameter her tools lack would be refused at minting).
var carolModel = new ScriptedChatClient("carol", Calls("flights_book"));
var carol = await delegation.DelegateAsync(flightsAgent,
    new ChatClientAgent(carolModel, instructions: null, name: "carol", description: "the fare booker", tools: [tools.BookFare]),
    new DelegationRequest
    {
        AgentId = "carol", AgentModel = "scripted-model", Audience = Tools, ToolScope = ["flights:book"], TaskPurpose = "Book SFO -> JFK within budget",
        Constraints = PassportConstraints.Empty
            .With("flights:book", "amount", PassportConstraint.Range(null, 500m))
            .With("flights:book", "dest", PassportConstraint.OneOf([PassportConstraintValue.FromString("JFK"), PassportConstraintValue.FromString("LGA")])),
    });
Field("carol", "[\"flights:book\"] amount <= 500, dest in JFK, LGA");
foreach (var (dest, amount) in new[] { ("JFK", "900"), ("BOS", "450"), ("JFK", "450") })
{
    // The scripted model sends the amount as a string, as models do: it is read as the number the tool binds.
    carolModel.Arguments["dest"] = dest;
    carolModel.Arguments["amount"] = amount;
    var response = await carol.RunAsync($"Book SFO -> {dest} for {amount}");
    var denials = response.Messages.GetPassportDenials();
    var refused = denials.Count > 0 ? denials[0] : null;
    Field($"{dest} {amount}", refused is null
        ? response.Text
        : $"DENIED {refused.Error.Name} {refused.Error.Code}: argument '{refused.Error.Details.Argument}' breaks its '{refused.Error.Details.Constraint}' limit");
}

Section("6. The audit tree, read back from the verified audit log");
var (verification, tree) = await auditLog.CloseAndReadBackAsync();
Field("audit log", auditLog.LogPath);
Field("verified", verification.Message);
Console.Write(tree.ToText());
Field("tool bodies ran", tools.Runs);

Done();
var decisions = audit.Events.Where(e => e.Kind != PassportAuditEventKind.Minted).Select(e => $"{e.AgentId}:{e.ToolName}:{e.Kind}").ToList();
string[] expected =
[
    "planner:flights_search:Allowed", "flights-agent:flights_book:Allowed", "hotels-agent:hotels_book:Denied",
    "flights-agent:flights_book:Allowed",
    "planner:hotels_book:Allowed", "flights-agent:hotels_book:Denied", "hotels-agent:hotels_search:Allowed",
    "carol:flights_book:Denied", "carol:flights_book:Denied", "carol:flights_book:Allowed",
];
return decisions.SequenceEqual(expected) ? 0 : 1;
