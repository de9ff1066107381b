using System.Text.Json;

namespace AgentPassport.Tests.Constraints;

/// <summary>Strict parsing of the constraints claim: every malformed shape is a typed MalformedClaims, never an exception of another type.</summary>
public sealed class PassportConstraintsParseTests
{
    public static TheoryData<string, string> Malformed => new()
    {
        { "[]", "must be a JSON object" },
        { """{"flights:book":[]}""", "must map argument names" },
        { """{"flights:book":{"amount":{"lt":5}}}""", "unknown constraint kind 'lt'" },
        { """{"flights:book":{"amount":{}}}""", "must not be empty" },
        { """{"flights:book":{"amount":500}}""", "must be a JSON object" },
        { """{"flights:book":{"amount":{"in":[]}}}""", "1..64" },
        { """{"flights:book":{"amount":{"in":"JFK"}}}""", "1..64" },
        { """{"flights:book":{"amount":{"in":[null]}}}""", "each 'in' value" },
        { """{"flights:book":{"amount":{"in":[[1]]}}}""", "each 'in' value" },
        { """{"flights:book":{"amount":{"in":[1e400]}}}""", "each 'in' value" },
        { """{"flights:book":{"amount":{"eq":null}}}""", "'eq' must be" },
        { """{"flights:book":{"amount":{"eq":{"a":1}}}}""", "'eq' must be" },
        { """{"flights:book":{"amount":{"min":5,"max":1}}}""", "'min' is above its 'max'" },
        { """{"flights:book":{"amount":{"min":"5"}}}""", "'min' must be a number" },
        { """{"flights:book":{"amount":{"max":1e400}}}""", "'max' must be a number" },
        { """{"flights:book":{"amount":{"max":500,"eq":5}}}""", "one kind" },
        { """{"flights:book":{"amount":{"eq":5,"in":[5]}}}""", "one kind" },
        { """{"flights:book":{"amount":{"max":5,"max":6}}}""", "appears twice" },
        { """{"flights:book":{"amount":{"max":5},"amount":{"max":6}}}""", "appears twice" },
        { """{"flights:book":{},"flights:book":{}}""", "appears twice" },
        { """{"flights:book":{"amount":{"maxLength":-1}}}""", "non-negative integer" },
        { """{"flights:book":{"amount":{"maxLength":1.5}}}""", "non-negative integer" },
        { """{"flights:book":{"amount":{"prefix":1}}}""", "'prefix' must be a string" },
        { """{"flights:book":{"amount":{"regex":1}}}""", "'regex' must be a string" },
        { """{"flights:book":{"amount":{"regex":"(a"}}}""", "invalid" },
        { """{"flights:book":{"amount":{"regex":"(a)\\1"}}}""", "linear-time engine" },
        { """{"flights:book":{"amount":{"regex":"(?=a)a"}}}""", "linear-time engine" },
        { """{"flights:book":{"amount":{"regex":"(?>a)"}}}""", "linear-time engine" },
        { """{"flights:book":{"amount":{"regex":"a)|(b"}}}""", "invalid" },
        { """{"flights:book":{"amount":{"regex":"(?x)a#"}}}""", "free-spacing" },
        { """{"flights:book":{"":{"max":1}}}""", "argument name must not be empty" },
        { """{"Flights book":{"amount":{"max":1}}}""", "'Flights book'" },
        { """{"flights:book":{"s":{"eq":"\ud800"}}}""", "lone surrogate" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedConstraints_AreMalformedClaims(string json, string expected)
    {
        var ex = Assert.Throws<AgentPassportException>(() => PassportConstraints.Parse(json));
        Assert.Equal(PassportErrorKind.MalformedClaims, ex.Kind);
        Assert.Contains(expected, ex.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegexOf256Characters_IsAccepted_257_IsRefused()
    {
        string ok = new('a', PassportConstraint.MaxPatternLength);
        Assert.Equal(ok, PassportConstraints.Parse(One("s", "{\"regex\":\"" + ok + "\"}")).For("t:x")["s"].Pattern);
        var ex = Assert.Throws<AgentPassportException>(() => PassportConstraints.Parse(One("s", "{\"regex\":\"" + ok + "a\"}")));
        Assert.Contains("at most 256 characters", ex.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InOf64Values_IsAccepted_65_IsRefused()
    {
        string Values(int n) => string.Join(",", Enumerable.Range(0, n));
        Assert.Equal(64, PassportConstraints.Parse(One("n", "{\"in\":[" + Values(64) + "]}")).For("t:x")["n"].Values.Count);
        var ex = Assert.Throws<AgentPassportException>(() => PassportConstraints.Parse(One("n", "{\"in\":[" + Values(65) + "]}")));
        Assert.Equal(PassportErrorKind.MalformedClaims, ex.Kind);
        Assert.Throws<ArgumentException>(() => PassportConstraint.OneOf(Enumerable.Range(0, 65).Select(i => PassportConstraintValue.FromNumber(i))));
    }

    [Fact]
    public void NotJson_IsMalformedClaims() =>
        Assert.Equal(PassportErrorKind.MalformedClaims, Assert.Throws<AgentPassportException>(() => PassportConstraints.Parse("{")).Kind);

    [Fact]
    public void AllKinds_RoundTripThroughJson()
    {
        const string json = """{"flights:book":{"amount":{"min":1,"max":500.5},"dest":{"in":["JFK","LGA"]},"class":{"eq":"economy"},"refundable":{"eq":false},"note":{"maxLength":40},"ref":{"prefix":"BK-"},"code":{"regex":"[A-Z]{2}[0-9]{3}"}},"hotels:*":{"nights":{"max":3}}}""";
        var parsed = PassportConstraints.Parse(json);
        Assert.Equal(json, parsed.ToJson());
        Assert.Equal(parsed, PassportConstraints.Parse(parsed.ToJson()));
        Assert.Equal(["flights:book", "hotels:*"], parsed.Scopes);
    }

    [Fact]
    public void EquivalentNumbers_AreWrittenInTheirShortestForm()
    {
        var parsed = PassportConstraints.Parse("""{"t:x":{"n":{"min":5e1,"max":500.000},"m":{"eq":-0},"k":{"in":[1.50,2e0]}}}""");
        Assert.Equal("""{"t:x":{"n":{"min":50,"max":500},"m":{"eq":0},"k":{"in":[1.5,2]}}}""", parsed.ToJson());
    }

    [Fact]
    public void EmptyEntry_IsUnconstrained()
    {
        var parsed = PassportConstraints.Parse("""{"flights:book":{}}""");
        Assert.True(parsed.IsEmpty);
        Assert.Empty(parsed.For("flights:book"));
    }

    [Fact]
    public void With_BuildsTheSameAsJson_AndRefusesASecondConstraintOnOneArgument()
    {
        var built = PassportConstraints.Empty
            .With("flights:book", "amount", PassportConstraint.Range(null, 500m))
            .With("flights:book", "dest", PassportConstraint.OneOf([PassportConstraintValue.FromString("JFK"), PassportConstraintValue.FromString("LGA")]));
        Assert.Equal("""{"flights:book":{"amount":{"max":500},"dest":{"in":["JFK","LGA"]}}}""", built.ToJson());
        Assert.Throws<ArgumentException>(() => built.With("flights:book", "amount", PassportConstraint.Range(1m, null)));
        Assert.Throws<ArgumentException>(() => built.With("Flights book", "amount", PassportConstraint.Range(1m, null)));
        Assert.Throws<ArgumentException>(() => PassportConstraint.Range(2m, 1m));
        Assert.Throws<ArgumentException>(() => PassportConstraint.Range(null, null));
        Assert.Throws<ArgumentException>(() => PassportConstraint.Matches("(a)\\1"));
        Assert.True(PassportConstraints.Empty.IsEmpty); // With never changes the instance it is called on
    }

    [Fact]
    public void Names_AreTheJsonMemberNames()
    {
        Assert.Equal("max", PassportConstraint.Range(null, 1m).Name);
        Assert.Equal("min", PassportConstraint.Range(1m, null).Name);
        Assert.Equal("min/max", PassportConstraint.Range(1m, 2m).Name);
        Assert.Equal("eq", PassportConstraint.Equal(PassportConstraintValue.FromBoolean(true)).Name);
        Assert.Equal("""{"eq":true}""", PassportConstraint.Equal(PassportConstraintValue.FromBoolean(true)).ToString());
        Assert.Equal("\"a\\\"b\"", PassportConstraintValue.FromString("a\"b").ToString());
    }

    [Fact]
    public void TryParse_NeverThrows_ForAnyJsonValue()
    {
        foreach (var text in new[] { "null", "1", "\"x\"", "true", "{\"a\":null}", "{\"t:x\":{\"a\":{\"regex\":null}}}" })
        {
            Assert.False(PassportConstraints.TryParse(JsonDocument.Parse(text).RootElement, out _, out var error));
            Assert.NotNull(error);
        }
    }

    /// <summary>A constraints claim with one constraint on <paramref name="argument"/> of scope t:x.</summary>
    internal static string One(string argument, string constraint) => "{\"t:x\":{\"" + argument + "\":" + constraint + "}}";
}
