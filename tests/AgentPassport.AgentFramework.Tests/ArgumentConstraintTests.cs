using System.Text.Json;
using AgentPassport.AgentFramework;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentPassport.AgentFramework.Tests;

/// <summary>
/// Argument constraints at the Agent Framework adapter: Carol, a sub-agent, may book flights only for amount ≤ 500 to JFK
/// or LGA. Her model's calls outside the limits never run and say which constraint refused them; within them they run.
/// </summary>
public sealed class ArgumentConstraintTests : IDisposable
{
    private readonly PassportFixture _f = new();
    private readonly List<(string Dest, decimal Amount)> _booked = [];

    public void Dispose() => _f.Dispose();

    private AIFunction Book() => AIFunctionFactory.Create((string dest, decimal amount) =>
    {
        _booked.Add((dest, amount));
        return $"BOOKED {dest} for {amount}";
    }, "flights_book").WithPassportScope("flights:book");

    private async Task<(AIAgent Carol, ScriptedChatClient Model)> CarolAsync()
    {
        var (_, bob, _) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["flights_book"], ["flights_book"], ["flights_book"]);
        var delegation = new PassportAgentDelegator(_f.Delegator, _f.Authorizer);
        var carol = await delegation.DelegateAsync(bob, new ChatClientAgent(model, name: "carol", tools: [Book()]), new DelegationRequest
        {
            AgentId = "agent:carol", AgentModel = "m", Audience = PassportFixture.ToolsAudience,
            ToolScope = ["flights:book"], Constraints = CarolLimits.Constraints,
        });
        return (carol, model);
    }

    [Fact]
    public async Task TheSubAgent_TriesTooMuch_ThenAWrongAirport_ThenSucceedsWithinTheLimits()
    {
        var (carol, model) = await CarolAsync();

        model.Arguments["dest"] = "JFK";
        model.Arguments["amount"] = 900;
        var tooMuch = await carol.RunAsync("book");
        model.Arguments["dest"] = "SFO";
        model.Arguments["amount"] = "400";   // a string: the number 400, as the function binds it
        var wrongAirport = await carol.RunAsync("book");
        model.Arguments["dest"] = "LGA";
        await carol.RunAsync("book");

        var first = Assert.Single(tooMuch.Messages.GetPassportDenials()).Error;
        var second = Assert.Single(wrongAirport.Messages.GetPassportDenials()).Error;
        Assert.Equal((PassportErrorKind.ConstraintViolation, "amount"), (first.Kind, first.Details?.Argument));
        Assert.Equal((PassportErrorKind.ConstraintViolation, "dest"), (second.Kind, second.Details?.Argument));
        Assert.Equal([("LGA", 400m)], _booked);
        Assert.Equal([PassportErrorKind.ConstraintViolation, PassportErrorKind.ConstraintViolation, null], CarolLimits.DecisionKinds(_f.Sink));
    }

    [Theory]
    [InlineData("amout", "max")]                  // a typo: no such parameter
    [InlineData("amount", "prefix")]              // a string constraint on a number parameter
    public async Task AConstraintThatFitsNoParameterOfTheSubAgentsTools_IsRefusedWhenItIsMinted(string argument, string kind)
    {
        var (_, bob, _) = await _f.AliceBobCarolAsync();
        var delegation = new PassportAgentDelegator(_f.Delegator, _f.Authorizer);
        var constraint = kind == "max" ? PassportConstraint.Range(null, 500m) : PassportConstraint.StartsWith("5");

        var error = await Assert.ThrowsAsync<AgentPassportException>(() => delegation.DelegateAsync(bob,
            new ChatClientAgent(new ScriptedChatClient("dave", []), name: "dave", tools: [Book()]),
            new DelegationRequest
            {
                AgentId = "agent:dave", AgentModel = "m", Audience = PassportFixture.ToolsAudience, ToolScope = ["flights:book"],
                Constraints = PassportConstraints.Empty.With("flights:book", argument, constraint),
            }));

        Assert.Equal((PassportErrorKind.IssuanceRefused, argument), (error.Error.Kind, error.Error.Details.Argument));
        Assert.Single(_f.Sink.Events, e => e.Kind == PassportAuditEventKind.Denied && e.ToolName == "delegate to agent:dave");
        Assert.DoesNotContain(_f.Sink.Events, e => e.Kind == PassportAuditEventKind.Minted && e.AgentId == "agent:dave");
    }
}
