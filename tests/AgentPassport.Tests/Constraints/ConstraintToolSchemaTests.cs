using System.Text.Json;

namespace AgentPassport.Tests.Constraints;

/// <summary>A typo must not leave an argument silently unconstrained: constraints are checked against a tool's input schema at mint time.</summary>
public sealed class ConstraintToolSchemaTests
{
    private static readonly JsonElement BookFlight = JsonDocument.Parse("""
        {"type":"object","properties":{
          "amount":{"type":"number"},"nights":{"type":"integer"},"dest":{"type":"string"},
          "refundable":{"type":"boolean"},"note":{"type":["string","null"]},"any":{}},
         "required":["amount","dest"]}
        """).RootElement;

    [Theory]
    [InlineData("""{"flights:book":{"amount":{"max":500},"dest":{"in":["JFK","LGA"]}}}""")]
    [InlineData("""{"flights:*":{"amount":{"min":0}}}""")]
    [InlineData("""{"flights:book":{"nights":{"max":3},"refundable":{"eq":true},"note":{"maxLength":40},"any":{"eq":1}}}""")]
    [InlineData("""{"hotels:book":{"nope":{"max":1}}}""")] // another tool's capability: not this tool's business
    public void MatchingConstraints_Pass(string constraints) =>
        PassportConstraints.Parse(constraints).CheckToolSchema("flights:book", BookFlight);

    [Theory]
    [InlineData("""{"flights:book":{"amont":{"max":500}}}""", "amont", "max")]
    [InlineData("""{"flights:*":{"destination":{"eq":"JFK"}}}""", "destination", "eq")]
    [InlineData("""{"flights:book":{"dest":{"max":500}}}""", "dest", "max")]
    [InlineData("""{"flights:book":{"amount":{"prefix":"5"}}}""", "amount", "prefix")]
    [InlineData("""{"flights:book":{"amount":{"eq":"500"}}}""", "amount", "eq")]
    [InlineData("""{"flights:book":{"refundable":{"eq":"true"}}}""", "refundable", "eq")]
    [InlineData("""{"flights:book":{"nights":{"max":2.5}}}""", "nights", "max")]
    [InlineData("""{"flights:book":{"dest":{"in":["JFK",1]}}}""", "dest", "in")]
    public void TyposAndIncompatibleTypes_AreRefused(string constraints, string argument, string constraint)
    {
        var ex = Assert.Throws<AgentPassportException>(() => PassportConstraints.Parse(constraints).CheckToolSchema("flights:book", BookFlight));
        Assert.Equal(PassportErrorKind.IssuanceRefused, ex.Kind);
        Assert.Equal(argument, ex.Error.Details.Argument);
        Assert.Equal(constraint, ex.Error.Details.Constraint);
        Assert.NotNull(ex.Error.Details.Scope);
        Assert.Contains($"'{argument}'", ex.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToolWithoutParameters_RefusesAnyConstraintOnIt()
    {
        var ex = Assert.Throws<AgentPassportException>(() =>
            PassportConstraints.Parse("""{"flights:book":{"amount":{"max":1}}}""").CheckToolSchema("flights:book", JsonDocument.Parse("{}").RootElement));
        Assert.Equal("amount", ex.Error.Details.Argument);
    }

    [Fact]
    public void MalformedRequiredScope_IsAnArgumentException() =>
        Assert.Throws<ArgumentException>(() => PassportConstraints.Empty.CheckToolSchema("flights book", BookFlight));
}
