using System.Text;
using System.Text.Json;

namespace AgentPassport.Tests.Jose;

/// <summary>RFC 8785 (JCS): the examples and number vectors of the RFC (§3.2.2, §3.2.3, Appendix B).</summary>
public sealed class PassportCanonicalJsonTests
{
    [Theory]
    [InlineData(0x0000000000000000UL, "0")]
    [InlineData(0x8000000000000000UL, "0")]
    [InlineData(0x0000000000000001UL, "5e-324")]
    [InlineData(0x8000000000000001UL, "-5e-324")]
    [InlineData(0x7fefffffffffffffUL, "1.7976931348623157e+308")]
    [InlineData(0xffefffffffffffffUL, "-1.7976931348623157e+308")]
    [InlineData(0x4340000000000000UL, "9007199254740992")]
    [InlineData(0xc340000000000000UL, "-9007199254740992")]
    [InlineData(0x4430000000000000UL, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5UL, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6UL, "1e+23")]
    [InlineData(0x44b52d02c7e14af7UL, "1.0000000000000001e+23")]
    [InlineData(0x444b1ae4d6e2ef4eUL, "999999999999999700000")]
    [InlineData(0x444b1ae4d6e2ef4fUL, "999999999999999900000")]
    [InlineData(0x444b1ae4d6e2ef50UL, "1e+21")]
    [InlineData(0x3eb0c6f7a0b5ed8cUL, "9.999999999999997e-7")]
    [InlineData(0x3eb0c6f7a0b5ed8dUL, "0.000001")]
    [InlineData(0x41b3de4355555553UL, "333333333.3333332")]
    [InlineData(0x41b3de4355555554UL, "333333333.33333325")]
    [InlineData(0x41b3de4355555555UL, "333333333.3333333")]
    [InlineData(0x41b3de4355555556UL, "333333333.3333334")]
    [InlineData(0x41b3de4355555557UL, "333333333.33333343")]
    [InlineData(0xbecbf647612f3696UL, "-0.0000033333333333333333")]
    [InlineData(0x43143ff3c1cb0959UL, "1424953923781206.2")]
    public void Numbers_are_written_as_ECMAScript_writes_them(ulong bits, string expected) =>
        Assert.Equal(expected, PassportCanonicalJson.FormatNumber(BitConverter.UInt64BitsToDouble(bits)));

    [Fact]
    public void The_RFC_example_is_canonicalized_byte_for_byte()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected = """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""";
        using var document = JsonDocument.Parse(input);

        Assert.Equal(expected, PassportCanonicalJson.CanonicalizeToString(document.RootElement));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), PassportCanonicalJson.Canonicalize(document.RootElement));
    }

    [Fact]
    public void Members_are_sorted_by_UTF16_code_units()
    {
        const string input = """{"\u20ac":1,"\r":2,"\ufb33":3,"1":4,"\ud83d\ude00":5,"\u0080":6,"\u00f6":7}""";
        using var document = JsonDocument.Parse(input);

        Assert.Equal("{\"\\r\":2,\"1\":4,\"\u0080\":6,\"\u00f6\":7,\"\u20ac\":1,\"\ud83d\ude00\":5,\"\ufb33\":3}",
            PassportCanonicalJson.CanonicalizeToString(document.RootElement));
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""[1e400]""")]
    [InlineData("""["\ud800"]""")]
    [InlineData("""{"\udc00":1}""")]
    public void Values_that_are_not_I_JSON_are_refused_with_a_typed_error(string input)
    {
        using var document = JsonDocument.Parse(input);

        var error = Assert.Throws<AgentPassportException>(() => PassportCanonicalJson.Canonicalize(document.RootElement));

        Assert.Equal(PassportErrorKind.MalformedClaims, error.Error.Kind);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_finite_numbers_are_refused(double value) =>
        Assert.Equal(PassportErrorKind.MalformedClaims, Assert.Throws<AgentPassportException>(() => PassportCanonicalJson.FormatNumber(value)).Error.Kind);
}
