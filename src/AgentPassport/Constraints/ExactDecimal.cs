using System.Numerics;

namespace AgentPassport;

/// <summary>
/// Reads the text of a JSON number into a <see cref="decimal"/> only when the decimal holds it exactly (spec v1.1 §13:
/// numbers compare as exact decimals, never as binary floating point). <c>500</c>, <c>500.0</c> and <c>5e2</c> are the same
/// value; <c>500.0000000000000000001</c> is not 500; <c>1e400</c> or a 40-digit fraction is not exact, so it is refused.
/// </summary>
internal static class ExactDecimal
{
    /// <summary>The longest number text read; a longer one is not exact (it bounds the work an attacker can ask for).</summary>
    private const int MaxTextLength = 512;

    private static readonly BigInteger DecimalCoefficientLimit = BigInteger.One << 96;

    /// <summary>Reads a JSON number's text (RFC 8259 grammar) exactly.</summary>
    /// <param name="text">The number as written, for example <c>-12.50e1</c>.</param>
    /// <param name="value">The exact value, normalized (no trailing zeros in its scale); <c>-0</c> is 0.</param>
    /// <returns><see langword="false"/> when the text is not a JSON number or its value has no exact <see cref="decimal"/>.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0m;
        if (text.Length is 0 or > MaxTextLength)
        {
            return false;
        }

        int i = 0;
        bool negative = text[0] == '-';
        if (negative)
        {
            i++;
        }

        // Integer part: "0" or a non-zero digit followed by digits.
        int intStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var intDigits = text[intStart..i];
        if (intDigits.Length == 0 || (intDigits.Length > 1 && intDigits[0] == '0'))
        {
            return false;
        }

        ReadOnlySpan<char> fracDigits = [];
        if (i < text.Length && text[i] == '.')
        {
            int fracStart = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            fracDigits = text[fracStart..i];
            if (fracDigits.Length == 0)
            {
                return false;
            }
        }

        long exponent = 0;
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            bool expNegative = false;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                expNegative = text[i] == '-';
                i++;
            }

            int expStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                // Capped: anything this large is far outside decimal's range whatever the digits are.
                exponent = Math.Min(exponent * 10 + (text[i] - '0'), 100_000);
                i++;
            }

            if (i == expStart)
            {
                return false;
            }

            exponent = expNegative ? -exponent : exponent;
        }

        if (i != text.Length)
        {
            return false;
        }

        // value = digits × 10^(exponent − fraction length); strip leading zeros and fold trailing zeros into the exponent.
        Span<char> digits = stackalloc char[intDigits.Length + fracDigits.Length];
        intDigits.CopyTo(digits);
        fracDigits.CopyTo(digits[intDigits.Length..]);
        var significant = digits.TrimStart('0');
        long scaleExponent = exponent - fracDigits.Length;
        if (significant.Length == 0)
        {
            value = 0m;
            return true;
        }

        int trailing = significant.Length - significant.TrimEnd('0').Length;
        significant = significant[..^trailing];
        scaleExponent += trailing;

        if (significant.Length > 29)
        {
            return false;
        }

        var coefficient = BigInteger.Parse(significant, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
        int scale;
        if (scaleExponent >= 0)
        {
            if (scaleExponent > 28)
            {
                return false;
            }

            coefficient *= BigInteger.Pow(10, (int)scaleExponent);
            scale = 0;
        }
        else
        {
            if (scaleExponent < -28)
            {
                return false;
            }

            scale = (int)-scaleExponent;
        }

        if (coefficient >= DecimalCoefficientLimit)
        {
            return false;
        }

        var bits = (UInt128)coefficient;
        value = new decimal((int)(uint)bits, (int)(uint)(bits >> 32), (int)(uint)(bits >> 64), negative, (byte)scale);
        return true;
    }

    /// <summary>The shortest invariant text of <paramref name="value"/> (no trailing zeros, no exponent); <c>-0</c> is <c>0</c>.</summary>
    public static string Format(decimal value)
    {
        // Strip trailing zeros of the scale exactly (the division by 1.000… only changes the scale, never the value).
        decimal normalized = value / 1.0000000000000000000000000000m;
        return normalized == 0m ? "0" : normalized.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
