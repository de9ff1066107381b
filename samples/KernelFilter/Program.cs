// KernelFilter: kernel.UseAgentPassport(...) checks every Semantic Kernel tool call, including the ones a model chooses.
// A scripted model (no network) asks for tools; an agent and its narrower sub-agent are allowed or denied; the audit tree shows it all.
using AgentPassport;
using AgentPassport.Samples;
using AgentPassport.Testing;
using AgentPassport.SemanticKernel;
using KernelFilter;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using static AgentPassport.Samples.SampleConsole;

const string IssuerUrl = "https://my-passport-issuer.example.com";
const string Tools = "https://travel-tools.example.com/";

Section("1. The person signs in (mock OpenID provider, IAL2)");
await using var signIn = await SampleSignIn.StartAsync();   // Shared/Identity: the Quickstart's sign-in, in one call
var identity = await signIn.ValidateAsync();
Field("principal", $"{identity.Subject} (IAL {identity.Levels?.Ial})");

Section("2. A kernel with two plugins, a scripted model and kernel.UseAgentPassport(...)");
using var keys = new InMemoryPassportKeyStore();
var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = keys });
var audit = new InMemoryPassportAuditSink();
var authorizer = new PassportAuthorizer(new PassportVerifier(keys, cacheCapacity: PassportVerifier.DefaultCacheCapacity),
    new PassportAuthorizerOptions { Policy = new VerificationPolicy(IssuerUrl, Tools) { RequireIal = 2 } }, audit);
var delegation = new PassportKernelDelegator(new PassportDelegator(issuer, authorizer));
var model = new ScriptedChatClient { Arguments = { ["route"] = "SFO -> JFK" } };
var runs = new ToolRuns();
var builder = Kernel.CreateBuilder();
// Semantic Kernel's own tool loop (UseKernelFunctionInvocation) runs kernel filters on every model-chosen call.
builder.Services.AddSingleton<IChatClient>(sp => new ChatClientBuilder(model).UseKernelFunctionInvocation().Build(sp));
builder.Plugins.AddFromObject(new FlightsPlugin(runs), "flights");
builder.Plugins.AddFromObject(new PaymentsPlugin(runs), "payments");
var template = builder.Build().UseAgentPassport(authorizer, passport: null);
Field("tools", string.Join(", ", template.Plugins.SelectMany(p => p.Select(f => $"{p.Name}.{f.Name} (needs {p.Name}:{f.Name})"))));
Note("Each agent gets its own clone of the template carrying its own Passport.");

var alice = await delegation.CreateAgentKernelAsync(template, new RootPassportRequest
{
    Identity = identity, AgentId = "agent:travel-bot", AgentModel = "scripted-model", Audience = Tools,
    ToolScope = ["flights:*", "payments:charge"], TaskPurpose = "Book and pay for the June flight",
});
var bob = await delegation.DelegateAsync(alice, new DelegationRequest
{
    AgentId = "agent:search-helper", AgentModel = "scripted-model", Audience = Tools,
    ToolScope = ["flights:search"], TaskPurpose = "Find flights only",
});
Field("travel-bot", List(PassportReader.DecodeUnverified(alice.GetPassport()!.Token).ToolScope.ToStrings()));
Field("search-helper", List(PassportReader.DecodeUnverified(bob.GetPassport()!.Token).ToolScope.ToStrings()));

var auto = new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() });
var outcomes = new List<bool>();

async Task AskAsync(string agentName, Kernel kernel, string prompt, bool expectAllowed)
{
    var result = await kernel.InvokePromptAsync(prompt, auto);
    var denials = result.GetPassportDenials();
    string verdict = denials.Count == 0 ? "ALLOWED" : $"DENIED  {denials[0].Error.Name} ({denials[0].Error.Code})";
    Field(agentName, $"\"{prompt}\" -> {verdict}");
    // The model reads only a short denial (details are opt-in: IncludeDetailedDenials); the application gets the typed error.
    Field("  model saw", denials.Count == 0 ? result.ToString() : denials[0].Message);
    outcomes.Add(denials.Count == 0 == expectAllowed);
}

Section("3. The model chooses tools: allowed and denied calls");
await AskAsync("travel-bot", alice, "call flights.book", expectAllowed: true);
await AskAsync("travel-bot", alice, "call payments.charge", expectAllowed: true);
await AskAsync("search-helper", bob, "call flights.search", expectAllowed: true);
await AskAsync("search-helper", bob, "call flights.book", expectAllowed: false);
await AskAsync("search-helper", bob, "call payments.charge", expectAllowed: false);
Field("bodies ran", runs);
Note("The denied calls never reached the plugin: flights.book and payments.charge ran once each, for travel-bot.");

Section("4. Direct calls are checked too, and a kernel without a Passport is denied");
var direct = await bob.InvokeAsync("payments", "charge", new KernelArguments { ["route"] = "SFO -> JFK" });
Field("search-helper", $"kernel.InvokeAsync(payments.charge) -> {direct.GetPassportDenial()?.Error.Name ?? "ALLOWED"}");
var anonymous = await template.InvokeAsync("flights", "search", new KernelArguments { ["route"] = "SFO -> JFK" });
Field("no passport", $"kernel.InvokeAsync(flights.search) -> {anonymous.GetPassportDenial()?.Error.Name ?? "ALLOWED"}");
outcomes.Add(direct.GetPassportDenial() is not null && anonymous.GetPassportDenial() is not null);
Field("bodies ran", runs);

Section("5. Offer each agent only the tools its Passport covers");
foreach (var (name, kernel) in new[] { ("travel-bot", alice), ("search-helper", bob) })
{
    var allowed = await kernel.GetPassportAllowedFunctionsAsync();
    Field(name, string.Join(", ", allowed.Select(f => $"{f.PluginName}.{f.Name}")));
}

var offeredOnly = new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = await bob.CreatePassportFunctionChoiceAsync() });
var searched = await bob.InvokePromptAsync("call flights.search", offeredOnly);
Field("offered", string.Join(", ", model.LastOffered));
Field("model said", searched);
outcomes.Add(model.LastOffered.SequenceEqual(["flights_search"]));

Section("6. The audit tree");
Console.Write(DelegationTree.Build(audit.Events).ToText());

Done();
return outcomes.All(ok => ok) ? 0 : 1;
