using System.Text.Json;

namespace AgentPassport.Tests.Constraints;

/// <summary>Numbers compare as exact decimals (spec v1.1 §13): the JSON text is read exactly or refused, never rounded through binary floating point.</summary>
public sealed class ExactDecimalTests
{
    [Theory]
    [InlineData("500", "500")]
    [InlineData("500.0", "500")]
    [InlineData("5e2", "500")]
    [InlineData("5E+2", "500")]
    [InlineData("50000e-2", "500")]
    [InlineData("-0", "0")]
    [InlineData("-0.0e5", "0")]
    [InlineData("0.1", "0.1")]
    [InlineData("500.0000000000000000001", "500.0000000000000000001")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("-12.50", "-12.5")]
    public void ExactNumbers_AreReadExactly(string text, string expected)
    {
        Assert.True(ExactDecimal.TryParse(text, out var value));
        Assert.Equal(expected, ExactDecimal.Format(value));
    }

    [Theory]
    [InlineData("1e400")] // beyond decimal's range: not exact, so refused rather than "infinity" or rounded
    [InlineData("-1e400")]
    [InlineData("79228162514264337593543950336")] // 2^96: one past the largest coefficient
    [InlineData("0.00000000000000000000000000001")] // 29 decimal places
    [InlineData("1e-400")] // would underflow to 0 in binary floating point
    [InlineData("0.1000000000000000000000000000001")] // 31 significant digits: System.Decimal would silently round it
    [InlineData("1e99999999999999999999")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("1e")]
    [InlineData("")]
    [InlineData("0x10")]
    [InlineData(" 1")]
    public void InexactOrNonJsonNumbers_AreRefused(string text) => Assert.False(ExactDecimal.TryParse(text, out _));

    [Fact]
    public void ManyTrailingZeros_AreStillExact()
    {
        Assert.True(ExactDecimal.TryParse("500." + new string('0', 200), out var value));
        Assert.Equal(500m, value);
    }

    [Fact]
    public void OverlongText_IsRefusedWithoutWork() => Assert.False(ExactDecimal.TryParse("1" + new string('0', 600), out _));

    [Fact]
    public void DoubleRoundingWouldAcceptWhatExactComparisonRefuses()
    {
        // The reason for exact decimals: as a double, 500.0000000000000000001 is exactly 500 and would pass "max 500".
        Assert.Equal(500d, double.Parse("500.0000000000000000001", System.Globalization.CultureInfo.InvariantCulture));
        var max = PassportConstraint.Range(null, 500m);
        Assert.False(max.IsSatisfiedBy(Json("500.0000000000000000001")));
        Assert.True(max.IsSatisfiedBy(Json("500.0")));
        Assert.True(max.IsSatisfiedBy(Json("5e2")));
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
