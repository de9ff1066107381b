// ToolWrapper: a Microsoft.Extensions.AI tool guarded by a Passport (PassportGuardedAIFunction). Scope enforcement,
// signature-tamper detection, and the same guard inside a model's tool loop. Mirrors the reference's LangChain wrapper demo.
using AgentPassport;
using AgentPassport.Extensions.AI;
using AgentPassport.Samples;
using AgentPassport.Testing;
using Microsoft.Extensions.AI;
using static AgentPassport.Samples.SampleConsole;

const string IssuerUrl = "https://my-passport-issuer.example.com";
const string ToolHost = "https://tool-host.example.com/";

Section("1. The person signs in (mock OpenID provider, IAL2); the tool host's policy");
await using var signIn = await SampleSignIn.StartAsync();   // Shared/Identity: the Quickstart's sign-in, in one call
using var keys = new InMemoryPassportKeyStore();
var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = keys });
var audit = new InMemoryPassportAuditSink();
var policy = new VerificationPolicy(IssuerUrl, ToolHost) { RequireIal = 2 };
var authorizer = new PassportAuthorizer(new PassportVerifier(keys, cacheCapacity: PassportVerifier.DefaultCacheCapacity), new PassportAuthorizerOptions { Policy = policy }, audit);
Field("policy", $"aud {policy.Audience}, IAL >= {policy.RequireIal}");

Section("2. Two plain Microsoft.Extensions.AI tools, and a guard per tool and agent");
int emailsSent = 0;
AIFunction weather = AIFunctionFactory.Create((string city) => $"Sunny, 22 C in {city}", "get_weather", "Gets the weather for a city.");
AIFunction email = AIFunctionFactory.Create((string to, string subject) => { emailsSent++; return $"sent '{subject}' to {to}"; }, "send_email", "Sends an email.");
var requiredScopes = new Dictionary<string, string> { ["get_weather"] = "weather:read", ["send_email"] = "email:send" };
Field("get_weather", "needs weather:read");
Field("send_email", "needs email:send");

// What an application does once per agent: wrap each tool in a PassportGuardedAIFunction bound to the agent's Passport
// and the tool's required scope (GuardWithPassport; a tool with no scope would be denied on every call).
List<AIFunction> Guard(PassportContext agent) =>
    [.. new[] { weather, email }.GuardWithPassport(authorizer, agent, requiredScopes).Cast<AIFunction>()];

async Task<PassportContext> IssueAsync(string agentId, params string[] scopes)
{
    var issued = await issuer.IssueAsync(signIn.Validator, signIn.IdToken, new RootPassportGrant
    {
        AgentId = agentId, AgentModel = "scripted-model", Audience = ToolHost, ToolScope = scopes,
    });
    await authorizer.RecordMintedAsync(issued.Passport);   // so the audit tree can place the agent's decisions under it
    return PassportContext.From(issued);
}

var expectations = new List<bool>();

async Task CallAsync(string label, AIFunction tool, AIFunctionArguments args, PassportErrorKind? expectedDenial)
{
    object? result = await tool.InvokeAsync(args);
    if (result is PassportDenial denial)
    {
        Field(label, $"{tool.Name} -> DENIED {denial.Error.Name} ({denial.Error.Code}): {denial.Error.Message}");
        expectations.Add(denial.Error.Kind == expectedDenial);
    }
    else
    {
        Field(label, $"{tool.Name} -> {result}");
        expectations.Add(expectedDenial is null);
    }
}

var weatherArgs = new AIFunctionArguments { ["city"] = "Boston" };
var emailArgs = new AIFunctionArguments { ["to"] = "bob@example.com", ["subject"] = "Trip plan" };

Section("3. A read-only Passport: weather runs, email is refused");
var readOnly = Guard(await IssueAsync("agent:weather-bot", "weather:read"));
await CallAsync("read-only", readOnly[0], weatherArgs, null);
await CallAsync("read-only", readOnly[1], emailArgs, PassportErrorKind.ScopeViolation);
Field("emails sent", emailsSent);

Section("4. A Passport with both scopes: both tools run");
var both = Guard(await IssueAsync("agent:assistant", "weather:read", "email:send"));
await CallAsync("both scopes", both[0], weatherArgs, null);
await CallAsync("both scopes", both[1], emailArgs, null);
Field("emails sent", emailsSent);

Section("5. Tampering: the last 4 signature characters replaced with AAAA");
var genuine = ((PassportGuardedAIFunction)both[0]).Context;
string tampered = genuine.Token[..^4] + (genuine.Token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
var forged = Guard(new PassportContext(tampered));
await CallAsync("tampered", forged[0], weatherArgs, PassportErrorKind.InvalidSignature);
await CallAsync("tampered", forged[1], emailArgs, PassportErrorKind.InvalidSignature);
Field("emails sent", emailsSent);

Section("6. The same guards in a model's tool loop (FunctionInvokingChatClient)");
Note("Microsoft.Extensions.AI's UseFunctionInvocation() runs tools itself; the guard sits inside each tool, so it still applies.");
var model = new ScriptedChatClient();
using var chat = new ChatClientBuilder(model).UseFunctionInvocation().Build();
foreach (var (target, toolArgs) in new[] { ("get_weather", weatherArgs), ("send_email", emailArgs) })
{
    model.Arguments.Clear();
    foreach (var (k, v) in toolArgs)
    {
        model.Arguments[k] = v;
    }

    var response = await chat.GetResponseAsync($"call {target}", new ChatOptions { Tools = [.. readOnly] });
    var toolResult = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single().Result;
    string text = toolResult is PassportDenial d ? $"DENIED {d.Error.Name} ({d.Error.Code}); the tool did not run" : response.Text;
    Field(target, text);
    expectations.Add(toolResult is PassportDenial == (target == "send_email"));
}

Field("emails sent", emailsSent);

Section("7. The audit tree");
Console.Write(DelegationTree.Build(audit.Events).ToText());

Done();
return expectations.All(ok => ok) && emailsSent == 1 ? 0 : 1;
