using System.Text.Json;

namespace AgentPassport.Tests.Constraints;

/// <summary>Each constraint kind against argument values: typed, exact, ordinal; doubt (a wrong type, null, an inexact number) fails.</summary>
public sealed class PassportConstraintCheckTests
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        // range: exact decimals; strings, booleans, null and inexact numbers fail
        { """{"max":500}""", "500", true },
        { """{"max":500}""", "500.0", true },
        { """{"max":500}""", "5e2", true },
        { """{"max":500}""", "\"500\"", false },
        { """{"max":500}""", "500.0000000000000000001", false },
        { """{"max":500}""", "1e400", false },
        { """{"max":500}""", "-1e400", false },
        { """{"min":0}""", "1e400", false },
        { """{"max":500}""", "\"NaN\"", false },
        { """{"max":500}""", "\"-Infinity\"", false },
        { """{"max":500}""", "null", false },
        { """{"max":500}""", "true", false },
        { """{"max":500}""", "[1]", false },
        { """{"min":0}""", "-0", true },
        { """{"min":0}""", "-0.0000000000000000000000000001", false },
        { """{"min":1,"max":2}""", "1.5", true },
        { """{"min":1,"max":2}""", "2.0000000000000000000000000001", false },
        { """{"min":-5.5}""", "-5.5", true },

        // eq: same type and value
        { """{"eq":500}""", "5e2", true },
        { """{"eq":500}""", "\"500\"", false },
        { """{"eq":"500"}""", "500", false },
        { """{"eq":true}""", "true", true },
        { """{"eq":true}""", "\"true\"", false },
        { """{"eq":"true"}""", "true", false },
        { """{"eq":false}""", "0", false },
        { """{"eq":0}""", "-0", true },
        { """{"eq":"JFK"}""", "\"jfk\"", false },
        { """{"eq":"JFK"}""", "\"JFK \"", false },

        // in: ordinal, no normalization (NFC é vs NFD e + U+0301; Cyrillic А vs Latin A)
        { """{"in":["JFK","LGA"]}""", "\"LGA\"", true },
        { """{"in":["JFK","LGA"]}""", "\"EWR\"", false },
        { """{"in":["caf\u00e9"]}""", "\"caf\u00e9\"", true },
        { """{"in":["caf\u00e9"]}""", "\"cafe\u0301\"", false },
        { """{"in":["ABC"]}""", "\"\u0410BC\"", false },
        { """{"in":[1,"1"]}""", "1.0", true },
        { """{"in":[true]}""", "\"true\"", false },
        { """{"in":["a"]}""", "null", false },

        // prefix, maxLength: strings only, ordinal, UTF-16 code units
        { """{"prefix":"/tmp/"}""", "\"/tmp/x\"", true },
        { """{"prefix":"/tmp/"}""", "\"/TMP/x\"", false },
        { """{"prefix":"/tmp/"}""", "\"/tmp\"", false },
        { """{"prefix":"caf\u00e9"}""", "\"cafe\u0301-bar\"", false },
        { """{"prefix":"1"}""", "12", false },
        { """{"maxLength":3}""", "\"abc\"", true },
        { """{"maxLength":3}""", "\"abcd\"", false },
        { """{"maxLength":2}""", "\"\ud83d\ude00\"", true }, // one emoji is two UTF-16 code units
        { """{"maxLength":1}""", "\"\ud83d\ude00\"", false },
        { """{"maxLength":3}""", "123", false },

        // regex: anchored at both ends, strings only
        { """{"regex":"[A-Z]{3}"}""", "\"JFK\"", true },
        { """{"regex":"[A-Z]{3}"}""", "\"JFKX\"", false },
        { """{"regex":"[A-Z]{3}"}""", "\"xJFK\"", false },
        { """{"regex":"[A-Z]{3}"}""", "\"JFK\\n\"", false }, // $ would match before a final newline; \z does not
        { """{"regex":"a|b"}""", "\"ab\"", false },
        { """{"regex":"a|ab"}""", "\"ab\"", true },
        { """{"regex":"\\d+"}""", "123", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Constraint_AcceptsExactlyWhatTheSpecSays(string constraint, string argument, bool expected)
    {
        var parsed = Parse(constraint);
        Assert.Equal(expected, parsed.IsSatisfiedBy(JsonDocument.Parse(argument).RootElement));
    }

    [Fact]
    public void MissingArgument_Fails() => Assert.False(Parse("""{"maxLength":3}""").IsSatisfiedBy(default));

    [Fact]
    public void CatastrophicPattern_RunsInLinearTime()
    {
        // (a+)+$ backtracks exponentially on "aaaa…!" in a backtracking engine; the linear engine answers at once.
        var regex = Parse("""{"regex":"(a+)+b"}""");
        var input = JsonSerializer.SerializeToElement(new string('a', 50_000) + "!");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(regex.IsSatisfiedBy(input));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("(a{1000}){1000}")]
    [InlineData("(((a+)+)+)+b")]
    [InlineData("(a|aa)*c")]
    [InlineData("(.*){200}x")]
    [InlineData("([a-z]*[0-9]*)*!")]
    public void HostilePatterns_AreRefusedOrAnswerQuickly(string pattern)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string claim = PassportConstraintsParseTests.One("v", JsonSerializer.Serialize(new { regex = pattern }));
        if (PassportConstraints.TryParse(JsonDocument.Parse(claim).RootElement, out var constraints, out _))
        {
            var input = JsonSerializer.SerializeToElement(new string('a', 20_000));
            Assert.False(constraints.For("t:x")["v"].IsSatisfiedBy(input));
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void LoneSurrogateArgument_Fails()
    {
        using var doc = JsonDocument.Parse("\"\\ud800\"");
        Assert.False(Parse("""{"prefix":""}""").IsSatisfiedBy(doc.RootElement));
    }

    internal static PassportConstraint Parse(string constraint) =>
        PassportConstraints.Parse(PassportConstraintsParseTests.One("arg", constraint)).For("t:x")["arg"];
}
