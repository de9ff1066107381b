#!/usr/bin/env dotnet
// 02 · Semantic Kernel: a Passport check on every tool call — the same walk-through as 02-kernel-filter.ipynb, as a
// .NET 10 file-based app:   dotnet run notebooks/02-kernel-filter.cs
// The model is scripted (no network model): it calls whatever tool the user names, as an injected model might.
#:project ../src/AgentPassport.SemanticKernel/AgentPassport.SemanticKernel.csproj
#:project ../src/AgentPassport.Identity/AgentPassport.Identity.csproj
#:property PublishAot=false

using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentPassport;
using AgentPassport.SemanticKernel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
// Both Semantic Kernel and Microsoft.Extensions.AI define these two names; the model speaks Microsoft.Extensions.AI.
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

const string IssuerUrl = "https://my-passport-issuer.example.com";
const string Tools = "https://travel-tools.example.com/";

// 3. The kernel, with Agent Passport: a template kernel with the filter; each agent gets a clone with its own Passport.
using var keys = new InMemoryPassportKeyStore();
var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = keys });
var audit = new InMemoryPassportAuditSink();
var authorizer = new PassportAuthorizer(new PassportVerifier(keys),
    new PassportAuthorizerOptions { Policy = new VerificationPolicy(IssuerUrl, Tools) { RequireIal = 2 } }, audit);
var delegation = new PassportKernelDelegator(new PassportDelegator(issuer, authorizer));

var model = new ScriptedModel();
var builder = Kernel.CreateBuilder();
builder.Services.AddSingleton<IChatClient>(sp => new ChatClientBuilder(model).UseKernelFunctionInvocation().Build(sp));
builder.Plugins.AddFromType<FlightsPlugin>("flights");
builder.Plugins.AddFromType<PaymentsPlugin>("payments");
var template = builder.Build().UseAgentPassport(authorizer, passport: null);

var identity = new IdentityAssertion("https://login.example.gov", "user-alice-pairwise", IalAcrMapping.IalPrefix + "2", new AssuranceLevels(2, 2, 2));
var agent = await delegation.CreateAgentKernelAsync(template, new RootPassportRequest
{
    Identity = identity, AgentId = "agent:travel-bot", AgentModel = "scripted-model", Audience = Tools,
    ToolScope = ["flights:search", "flights:book"], TaskPurpose = "Book a flight, do not pay",
});
Console.WriteLine("== 3. The kernel, with Agent Passport");
Console.WriteLine($"tools in the kernel: {string.Join(", ", agent.Plugins.SelectMany(p => p.Select(f => $"{p.Name}.{f.Name}")))}");
Console.WriteLine($"agent's Passport:    {JsonSerializer.Serialize(PassportReader.DecodeUnverified(agent.GetPassport()!.Token).ToolScope.ToStrings())}");

// 4. The model books a flight: allowed.
Console.WriteLine("\n== 4. The model books a flight: allowed");
var auto = new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() });
var booked = await agent.InvokePromptAsync("call flights.book", auto);
if (booked.GetPassportDenials().Count != 0 || Ran.Book != 1)
{
    throw new InvalidOperationException("expected the booking to run");
}

Console.WriteLine($"model answered: {booked}");
Console.WriteLine($"flights.book ran {Ran.Book} time(s)");

// 5. The model tries to pay: denied before the function runs.
Console.WriteLine("\n== 5. The model tries to pay: denied");
var paid = await agent.InvokePromptAsync("call payments.charge", auto);
var denials = paid.GetPassportDenials();
if (denials.Count != 1 || Ran.Charge != 0)
{
    throw new InvalidOperationException("expected a denial and no charge");
}

Console.WriteLine($"model read: {denials[0].Message}");
Console.WriteLine($"app sees:   {denials[0].Error.Name} ({denials[0].Error.Code}): {denials[0].Error.Message}");
Console.WriteLine($"payments.charge ran {Ran.Charge} time(s)");
var direct = await agent.InvokeAsync("payments", "charge", new KernelArguments { ["item"] = "SFO -> JFK" });
Console.WriteLine($"direct call: {direct.GetPassportDenial()?.Error.Name ?? "allowed"}; payments.charge ran {Ran.Charge} time(s)");

// 6. Offer the model only what its Passport allows.
Console.WriteLine("\n== 6. Offer the model only what it may use");
var allowedOnly = new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = await agent.CreatePassportFunctionChoiceAsync() });
var searched = await agent.InvokePromptAsync("call flights.search", allowedOnly);
Console.WriteLine($"tools offered to the model: {string.Join(", ", model.Offered)}");
Console.WriteLine($"model answered: {searched}");
if (model.Offered.Any(t => t.StartsWith("payments", StringComparison.Ordinal)))
{
    throw new InvalidOperationException("payments must not be offered");
}

// 7. The audit tree.
Console.WriteLine("\n== 7. The audit tree");
Console.Write(DelegationTree.Build(audit.Events).ToText());
Console.WriteLine("\nDone.");

// 1. Two plain Semantic Kernel plugins; they know nothing about Passports. The counters prove whether a body ran.
static class Ran
{
    public static int Book;
    public static int Search;
    public static int Charge;
}

sealed class FlightsPlugin
{
    [KernelFunction("search"), Description("Searches flights on a route.")]
    public string Search(string item)
    {
        Ran.Search++;
        return $"3 flights found for {item}";
    }

    [KernelFunction("book"), Description("Books a flight.")]
    public string Book(string item)
    {
        Ran.Book++;
        return $"BOOKED {item}";
    }
}

sealed class PaymentsPlugin
{
    [KernelFunction("charge"), Description("Charges the card on file.")]
    public string Charge(string item)
    {
        Ran.Charge++;
        return $"CHARGED for {item}";
    }
}

// 2. A scripted model: reads "call <plugin>.<function>" and calls that tool, offered or not; once a tool result is in
//    the conversation it answers with that result.
sealed class ScriptedModel : IChatClient
{
    public List<string> Offered { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var results = list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        if (results.Count > 0)
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"{results[^1].Result}")));
        }

        Offered.Clear();
        Offered.AddRange(options?.Tools?.OfType<AIFunctionDeclaration>().Select(t => t.Name) ?? []);
        string text = list.Last(m => m.Role == ChatRole.User).Text;
        string tool = text[(text.IndexOf("call ", StringComparison.Ordinal) + 5)..].Trim().Replace('.', '_');   // SK names tools plugin_function
        var call = new FunctionCallContent("call_1", tool, new Dictionary<string, object?> { ["item"] = "SFO -> JFK" });
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call])));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-model")
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
