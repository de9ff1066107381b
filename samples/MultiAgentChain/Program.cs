// MultiAgentChain: a person signs in; Alice's agent delegates to Bob, Bob to Carol, each time narrower; the flights
// service walks Carol's whole chain back to the person. Prints the delegation tree as text and as Mermaid.
using AgentPassport;
using AgentPassport.SemanticKernel;
using AgentPassport.Samples;
using AgentPassport.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using MultiAgentChain;
using static AgentPassport.Samples.SampleConsole;

const string IssuerUrl = "https://my-passport-issuer.example.com";
const string ServiceA = "https://service-a.example.com/";
const string ServiceB = "https://service-b.example.com/";
const string FlightsMcp = "https://flights-mcp.example.com/";
const string Model = "claude-opus-4-7";

Section("1. The person signs in (mock OpenID provider, IAL2)");
await using var signIn = await SampleSignIn.StartAsync();   // Shared/Identity: the Quickstart's sign-in, in one call
var identity = await signIn.ValidateAsync();
Field("principal", identity.Subject);
Field("ial/aal/fal", $"{identity.Levels?.Ial}/{identity.Levels?.Aal}/{identity.Levels?.Fal}");

Section("2. Wire the enforcement: issuer, verifier, audit sink, authorizer, delegation service, kernel");
using var keys = new InMemoryPassportKeyStore();
var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = keys });
var verifier = new PassportVerifier(keys);
var policy = new VerificationPolicy(IssuerUrl, FlightsMcp) { RequireIal = 2 };
await using var auditLog = await SampleAuditLog.OpenAsync("multi-agent-chain"); // SQLite, hash-chained, signed
var audit = auditLog.Memory;
var authorizer = new PassportAuthorizer(verifier, new PassportAuthorizerOptions { Policy = policy }, auditLog);
var delegation = new PassportKernelDelegator(new PassportDelegator(issuer, authorizer));
var flights = new FlightsService(verifier, policy);
// Carol's model is scripted (no network): the prompt names the tool to call, Arguments are what it sends.
var carolModel = new ScriptedChatClient();
var kernelBuilder = Kernel.CreateBuilder();
kernelBuilder.Services.AddSingleton<IChatClient>(sp => new ChatClientBuilder(carolModel).UseKernelFunctionInvocation().Build(sp));
var template = kernelBuilder.Build().UseAgentPassport(authorizer, passport: null);
template.Plugins.AddFromObject(flights, "flights");      // flights.book requires flights:book, flights.search flights:search
template.Plugins.AddFromObject(new HotelsService(), "hotels");
Note("Every agent gets its own kernel (a clone) carrying its own Passport; the filter checks each tool call.");
Field("tools", string.Join(", ", template.Plugins.SelectMany(pl => pl.Select(f => $"{pl.Name}.{f.Name}"))));

Section("3. Alice gets a root Passport; she delegates to Bob, Bob to Carol (each narrower)");
var alice = await delegation.CreateAgentKernelAsync(template, new RootPassportRequest
{
    Identity = identity, AgentId = "agent:alice", AgentModel = Model, Audience = ServiceA,
    ToolScope = ["flights:*", "hotels:*", "calendar:*"], TaskPurpose = "Plan the June trip",
});
var bob = await delegation.DelegateAsync(alice, new DelegationRequest
{
    AgentId = "agent:bob", AgentModel = Model, Audience = ServiceB, ToolScope = ["flights:*"], TaskPurpose = "Handle the flights",
});
var carol = await delegation.DelegateAsync(bob, new DelegationRequest
{
    AgentId = "agent:carol", AgentModel = Model, Audience = FlightsMcp, ToolScope = ["flights:book"], TaskPurpose = "Book SFO -> JFK",
    // Argument constraints (spec v1.1 §13): flights:book only for amount <= 500 to JFK or LGA. Checked against the
    // kernel's functions first: a constraint on a parameter flights.book lacks would be refused here, at minting.
    Constraints = PassportConstraints.Empty
        .With("flights:book", "amount", PassportConstraint.Range(null, 500m))
        .With("flights:book", "dest", PassportConstraint.OneOf([PassportConstraintValue.FromString("JFK"), PassportConstraintValue.FromString("LGA")])),
});
foreach (var (name, kernel) in new[] { ("alice", alice), ("bob", bob), ("carol", carol) })
{
    var claims = PassportReader.DecodeUnverified(kernel.GetPassport()!.Token);
    Field(name, $"{List(claims.ToolScope.ToStrings())} aud {claims.Audience} depth {claims.Depth}");
}

Field("carol limits", "flights:book amount <= 500, dest in JFK, LGA");

Section("4. Carol tries to hand Dave more than she has: refused at minting");
try
{
    await delegation.DelegateAsync(carol, new DelegationRequest
    {
        AgentId = "agent:dave", AgentModel = Model, Audience = FlightsMcp, ToolScope = ["hotels:book"],
    });
    Field("result", "minted (unexpected!)");
}
catch (AgentPassportException ex)
{
    Field("result", $"{ex.Error.Name} ({ex.Error.Code})");
    Field("message", ex.Error.Message);
}

Section("5. Carol's model books: 900 (over her limit), then BOS (not her airport), then 450 to JFK");
var auto = new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() });
string? booked = null;
foreach (var (dest, amount) in new[] { ("JFK", "900"), ("BOS", "450"), ("JFK", "450") })
{
    // The model sends the amount as a string, as models do: it is read as the decimal flights.book binds.
    carolModel.Arguments["dest"] = dest;
    carolModel.Arguments["amount"] = amount;
    carolModel.Arguments["date"] = "2026-06-12";
    var answer = await carol.InvokePromptAsync("call flights.book", auto);
    var refusals = answer.GetPassportDenials();
    if (refusals.Count > 0)
    {
        var error = refusals[0].Decision.Error!;
        Field($"{dest} {amount}", $"{error.Name} ({error.Code}): the body never ran");
        Field("message", error.Message);
    }
    else
    {
        booked = answer.ToString();
        Field($"{dest} {amount}", "booked");
    }
}

Note("flights.book returned:");
Json(booked ?? "{}");

Section("6. Carol tries the hotels tool: denied by the kernel filter, the function never runs");
var hotel = await carol.InvokeAsync("hotels", "book", new KernelArguments { ["city"] = "New York" });
var denial = hotel.GetPassportDenial();
Field("result", denial is null ? "allowed (unexpected!)" : $"{denial.Decision.Error!.Name} ({denial.Decision.Error.Code})");
Field("message", denial?.Decision.Error?.Message);

Section("7. The verified chain, root first (as the flights service saw it)");
var verified = flights.LastVerified!;
var links = verified.Chain.Select(c => c.Passport).Append(verified.Passport).ToList();
Console.WriteLine($"principal {verified.Passport.Subject}");
foreach (var p in links)
{
    // The same tree style as DelegationTree.ToText() below: each agent under the one that delegated to it.
    string indent = new(' ', 4 * p.Depth);
    string body = indent + "    ";
    Console.WriteLine($"{indent}└── {p.AgentId} ({p.AgentModel})");
    Console.WriteLine($"{body}aud:         {p.Audience}");
    Console.WriteLine($"{body}scope:       {List(p.ToolScope.ToStrings())}");
    Console.WriteLine($"{body}jti:         {p.TokenId}");
    Console.WriteLine($"{body}ial/aal/fal: {p.Ial}/{p.Aal}/{p.Fal}");
    Console.WriteLine($"{body}exp:         {Utc(p.ExpiresAt)}");
    if (p.ParentJti is not null)
    {
        Console.WriteLine($"{body}parent_jti:  {p.ParentJti}");
    }
}

Section("8. The delegation tree read back from the verified audit log (text)");
var (verification, tree) = await auditLog.CloseAndReadBackAsync();
Field("audit log", auditLog.LogPath);
Field("verified", verification.Message);
Console.Write(tree.ToText());

Section("9. The same tree as Mermaid (paste into any Mermaid viewer)");
Console.WriteLine("```mermaid");
Console.Write(tree.ToMermaid());
Console.WriteLine("```");

Done();
return denial is null ? 1 : 0;
