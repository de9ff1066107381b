#!/usr/bin/env dotnet
// 03 · Delegation: Alice -> Bob -> Carol, and the tree of who did what — the same walk-through as
// 03-delegation-tree.ipynb, as a .NET 10 file-based app:   dotnet run notebooks/03-delegation-tree.cs
#:project ../src/AgentPassport/AgentPassport.csproj
#:project ../src/AgentPassport.Identity/AgentPassport.Identity.csproj
#:property PublishAot=false

using System.Text.Json;
using AgentPassport;

const string IssuerUrl = "https://my-passport-issuer.example.com";
const string Model = "claude-opus-4-7";

// 1. The pieces: the person's identity, the issuer and its keys, a verifier, an audit sink, the authorizer
//    (the one enforcement path every integration calls) and the delegator (mints roots and children, audits each).
var identity = new IdentityAssertion("https://login.example.gov", "user-alice-pairwise",
    IalAcrMapping.IalPrefix + "2", new AssuranceLevels(2, 2, 2));
using var keys = new InMemoryPassportKeyStore();
var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = keys });
var verifier = new PassportVerifier(keys);
var audit = new InMemoryPassportAuditSink();
var policy = new VerificationPolicy(IssuerUrl, "https://flights-mcp.example.com/") { RequireIal = 2 };
var authorizer = new PassportAuthorizer(verifier, new PassportAuthorizerOptions { Policy = policy }, audit);
var delegator = new PassportDelegator(issuer, authorizer);

// 2. Alice -> Bob -> Carol, each hop narrower.
Console.WriteLine("== 2. Alice -> Bob -> Carol");
var alice = await delegator.IssueRootAsync(new RootPassportRequest
{
    Identity = identity, AgentId = "agent:alice", AgentModel = Model, Audience = "https://service-a.example.com/",
    ToolScope = ["flights:*", "hotels:*", "calendar:*"], TaskPurpose = "Plan the June trip",
});
var bob = await delegator.DelegateAsync(alice, new DelegationRequest
{
    AgentId = "agent:bob", AgentModel = Model, Audience = "https://service-b.example.com/",
    ToolScope = ["flights:*"], TaskPurpose = "Handle the flights",
});
var carol = await delegator.DelegateAsync(bob, new DelegationRequest
{
    AgentId = "agent:carol", AgentModel = Model, Audience = "https://flights-mcp.example.com/",
    ToolScope = ["flights:book"], TaskPurpose = "Book SFO -> JFK",
    // Argument constraints (spec v1.1 §13): flights:book only for amount <= 500 to JFK or LGA.
    Constraints = PassportConstraints.Parse("""{"flights:book": {"amount": {"max": 500}, "dest": {"in": ["JFK", "LGA"]}}}"""),
});
foreach (var (name, context) in new[] { ("alice", alice), ("bob", bob), ("carol", carol) })
{
    var claims = PassportReader.DecodeUnverified(context.Token);   // display only; tools verify
    Console.WriteLine($"{name,-6} scope {JsonSerializer.Serialize(claims.ToolScope.ToStrings())}  aud {claims.Audience}  depth {claims.Depth}  parents {context.ChainTokens.Count}");
}

// 3. Carol cannot hand out more than she has.
Console.WriteLine("\n== 3. A widening is refused");
try
{
    await delegator.DelegateAsync(carol, new DelegationRequest
    {
        AgentId = "agent:dave", AgentModel = Model, Audience = "https://hotels-mcp.example.com/", ToolScope = ["hotels:book"],
    });
    throw new InvalidOperationException("expected ScopeAttenuation");
}
catch (AgentPassportException ex) when (ex.Kind == PassportErrorKind.ScopeAttenuation)
{
    Console.WriteLine($"{ex.Error.Name} ({ex.Error.Code}): {ex.Error.Message}");
}

// 4. Tool calls: the authorizer verifies Carol's Passport and her whole chain, then the scope, then the arguments
//    against her constraints. Carol tries 900, then BOS, then 450 to JFK.
Console.WriteLine("\n== 4. Tool calls");
static PassportToolArguments Args(string json) => PassportToolArguments.FromJsonObject(JsonDocument.Parse(json).RootElement);
var tooMuch = await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book", Args("""{"dest": "JFK", "amount": 900}"""));
var wrongAirport = await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book", Args("""{"dest": "BOS", "amount": 450}"""));
var book = await authorizer.AuthorizeAsync(carol, "flights.book", "flights:book", Args("""{"dest": "JFK", "amount": 450}"""));
var hotel = await authorizer.AuthorizeAsync(carol, "hotels.book", "hotels:book");
if (tooMuch.IsAllowed || wrongAirport.IsAllowed || !book.IsAllowed || hotel.IsAllowed)
{
    throw new InvalidOperationException("unexpected decisions");
}

Console.WriteLine($"flights.book 900 to JFK: {tooMuch.Error!.Name} ({tooMuch.Error.Code}): {tooMuch.Error.Message}");
Console.WriteLine($"flights.book 450 to BOS: {wrongAirport.Error!.Name} ({wrongAirport.Error.Code}): {wrongAirport.Error.Message}");
Console.WriteLine($"flights.book 450 to JFK: allowed, {book.Passport}");
Console.WriteLine($"hotels.book:  {hotel.Error!.Name} ({hotel.Error.Code}): {hotel.Error.Message}");

// 5. The delegation tree from the audit trail, as text and as Mermaid (paste into any Mermaid viewer).
Console.WriteLine("\n== 5. The delegation tree");
var tree = DelegationTree.Build(audit.Events);
Console.Write(tree.ToText());
Console.WriteLine("\n```mermaid");
Console.Write(tree.ToMermaid());
Console.WriteLine("```");
Console.WriteLine("\nDone.");
