using System.ComponentModel;
using System.Text.Json.Nodes;
using AgentPassport;
using AgentPassport.SemanticKernel;
using Microsoft.SemanticKernel;
using static AgentPassport.Samples.SampleConsole;

namespace MultiAgentChain;

/// <summary>
/// The leaf service (the flights MCP tool host). The kernel filter has already authorized the call; the service still
/// verifies the caller's Passport and whole chain itself against its own policy (defence in depth) and says what it checked.
/// </summary>
internal sealed class FlightsService(PassportVerifier verifier, VerificationPolicy policy)
{
    /// <summary>Gets the last chain the service verified.</summary>
    public VerifiedPassport? LastVerified { get; private set; }

    [KernelFunction("book")]
    [Description("Books a flight.")]
    public async Task<string> BookAsync(Kernel kernel, string dest, decimal amount, string date)
    {
        var caller = kernel.GetPassport() ?? throw new InvalidOperationException("no Passport");
        var verified = await verifier.VerifyAsync(caller.Token, policy.WithRequiredScope("flights:book"), caller.ChainTokens);
        LastVerified = verified;
        var p = verified.Passport;
        Note($"flights service verified {verified.Chain.Count + 1} signatures (chain root first, then the leaf):");
        foreach (var link in verified.Chain)
        {
            Note($"  {link.Passport.AgentId,-12} jti {link.Passport.TokenId}  scope {List(link.Passport.ToolScope.ToStrings())}");
        }

        Note($"  {p.AgentId,-12} jti {p.TokenId}  scope {List(p.ToolScope.ToStrings())}  parent_jti {p.ParentJti}");
        Note($"checks: issuer {p.Issuer}, aud {p.Audience}, IAL {p.Ial} >= {policy.RequireIal}, scope flights:book covered, each child narrows its parent");
        var result = new JsonObject
        {
            ["tool"] = "flights.book",
            ["principal_sub"] = p.Subject,
            ["actor_chain"] = new JsonArray([.. p.Actor.OutermostFirst().Select(a => (JsonNode)a)]),
            ["scope_used"] = "flights:book",
            ["chain_depth"] = p.Depth,
            ["result"] = new JsonObject
            {
                ["reservation"] = $"BOOKED SFO -> {dest} on {date} for {amount}",
                ["confirmation_code"] = "PNR-" + p.TokenId[..6].ToUpperInvariant(),
            },
        };
        return result.ToJsonString();
    }

    [KernelFunction("search")]
    [Description("Searches flights.")]
    public string Search(string route) => $"3 flights found for {route}";
}
