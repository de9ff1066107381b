using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentPassport;

/// <summary>
/// One argument constraint of a capability (spec v1.1 §13): <c>eq</c>, <c>in</c>, a <c>min</c>/<c>max</c> range,
/// <c>prefix</c>, <c>maxLength</c> or <c>regex</c>. Immutable; create with the factory methods or read from JSON with
/// <see cref="PassportConstraints.Parse(string)"/>. Strings compare ordinally with no Unicode normalization (an NFC and
/// an NFD form, or a look-alike letter, are different strings); numbers compare as exact decimals.
/// </summary>
public sealed partial class PassportConstraint : IEquatable<PassportConstraint>
{
    /// <summary>The most values an <c>in</c> constraint may list.</summary>
    public const int MaxValues = 64;

    /// <summary>The longest <c>regex</c> pattern, in characters.</summary>
    public const int MaxPatternLength = 256;

    /// <summary>Bounds the (linear) match time of one pattern against one argument; a match that runs out is a violation.</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly PassportConstraintValue[] _values;
    private readonly Regex? _regex;

    private PassportConstraint(PassportConstraintKind kind, PassportConstraintValue[]? values = null, decimal? min = null, decimal? max = null, string? text = null, int? maxLength = null, Regex? regex = null)
    {
        Kind = kind;
        _values = values ?? [];
        Min = min;
        Max = max;
        Prefix = kind == PassportConstraintKind.Prefix ? text : null;
        Pattern = kind == PassportConstraintKind.Regex ? text : null;
        MaxLength = maxLength;
        _regex = regex;
    }

    /// <summary>Gets the kind.</summary>
    public PassportConstraintKind Kind { get; }

    /// <summary>Gets the value of an <c>eq</c> constraint (one) or the values of an <c>in</c> constraint; empty for the other kinds.</summary>
    public IReadOnlyList<PassportConstraintValue> Values => _values;

    /// <summary>Gets the inclusive lower bound of a range, or null.</summary>
    public decimal? Min { get; }

    /// <summary>Gets the inclusive upper bound of a range, or null.</summary>
    public decimal? Max { get; }

    /// <summary>Gets the prefix of a <c>prefix</c> constraint, or null.</summary>
    public string? Prefix { get; }

    /// <summary>Gets the most UTF-16 code units of a <c>maxLength</c> constraint, or null.</summary>
    public int? MaxLength { get; }

    /// <summary>Gets the pattern of a <c>regex</c> constraint as written (matching is anchored at both ends), or null.</summary>
    public string? Pattern { get; }

    /// <summary>An <c>eq</c> constraint.</summary>
    /// <param name="value">The only value allowed.</param>
    /// <returns>The constraint.</returns>
    public static PassportConstraint Equal(PassportConstraintValue value) =>
        new(PassportConstraintKind.Equal, [RequireValue(value)]);

    /// <summary>An <c>in</c> constraint.</summary>
    /// <param name="values">The values allowed: 1..<see cref="MaxValues"/>.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="ArgumentException">No values, more than <see cref="MaxValues"/>, or a default value.</exception>
    public static PassportConstraint OneOf(IEnumerable<PassportConstraintValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var array = values.Select(RequireValue).ToArray();
        return array.Length is >= 1 and <= MaxValues
            ? new(PassportConstraintKind.OneOf, array)
            : throw new ArgumentException($"an 'in' constraint lists 1..{MaxValues} values", nameof(values));
    }

    /// <summary>A range constraint (inclusive); at least one bound.</summary>
    /// <param name="min">The lower bound, or null.</param>
    /// <param name="max">The upper bound, or null.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="ArgumentException">Neither bound, or <paramref name="min"/> above <paramref name="max"/>.</exception>
    public static PassportConstraint Range(decimal? min, decimal? max)
    {
        if (min is null && max is null)
        {
            throw new ArgumentException("a range needs 'min', 'max' or both");
        }

        if (min > max)
        {
            throw new ArgumentException("a range's 'min' is above its 'max'");
        }

        return new(PassportConstraintKind.Range, min: Normalize(min), max: Normalize(max));
    }

    /// <summary>A <c>prefix</c> constraint.</summary>
    /// <param name="prefix">The prefix, compared ordinally.</param>
    /// <returns>The constraint.</returns>
    public static PassportConstraint StartsWith(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return new(PassportConstraintKind.Prefix, text: prefix);
    }

    /// <summary>A <c>maxLength</c> constraint.</summary>
    /// <param name="maxLength">The most UTF-16 code units; not negative.</param>
    /// <returns>The constraint.</returns>
    public static PassportConstraint LengthAtMost(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        return new(PassportConstraintKind.MaxLength, maxLength: maxLength);
    }

    /// <summary>A <c>regex</c> constraint, matched in full by .NET's linear-time engine (<see cref="RegexOptions.NonBacktracking"/>).</summary>
    /// <param name="pattern">The pattern: at most <see cref="MaxPatternLength"/> characters, without constructs the linear engine refuses (backreferences, lookarounds, atomic groups).</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="ArgumentException">The pattern is too long, invalid or needs backtracking.</exception>
    public static PassportConstraint Matches(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return TryCompile(pattern, out var regex, out var error)
            ? new(PassportConstraintKind.Regex, text: pattern, regex: regex)
            : throw new ArgumentException(error, nameof(pattern));
    }

    /// <summary>Gets the JSON name of the part of this constraint a caller sees in errors: <c>eq</c>, <c>in</c>, <c>min</c>/<c>max</c>, <c>prefix</c>, <c>maxLength</c>, <c>regex</c>.</summary>
    public string Name => Kind switch
    {
        PassportConstraintKind.Equal => "eq",
        PassportConstraintKind.OneOf => "in",
        PassportConstraintKind.Range => Min is null ? "max" : Max is null ? "min" : "min/max",
        PassportConstraintKind.Prefix => "prefix",
        PassportConstraintKind.MaxLength => "maxLength",
        _ => "regex",
    };

    /// <summary>Gets the constraint as compact JSON, for example <c>{"max":500}</c>.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, PassportConstraints.WriterOptions))
        {
            WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the constraint as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        switch (Kind)
        {
            case PassportConstraintKind.Equal:
                writer.WritePropertyName("eq");
                _values[0].WriteTo(writer);
                break;
            case PassportConstraintKind.OneOf:
                writer.WriteStartArray("in");
                foreach (var value in _values)
                {
                    value.WriteTo(writer);
                }

                writer.WriteEndArray();
                break;
            case PassportConstraintKind.Range:
                WriteBound(writer, "min", Min);
                WriteBound(writer, "max", Max);
                break;
            case PassportConstraintKind.Prefix:
                writer.WriteString("prefix", Prefix);
                break;
            case PassportConstraintKind.MaxLength:
                writer.WriteNumber("maxLength", MaxLength!.Value);
                break;
            default:
                writer.WriteString("regex", Pattern);
                break;
        }

        writer.WriteEndObject();
    }

    /// <inheritdoc />
    public bool Equals(PassportConstraint? other) =>
        other is not null && Kind == other.Kind && _values.AsSpan().SequenceEqual(other._values) && Min == other.Min && Max == other.Max
        && string.Equals(Prefix, other.Prefix, StringComparison.Ordinal) && MaxLength == other.MaxLength
        && string.Equals(Pattern, other.Pattern, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PassportConstraint);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _values.Length, Min, Max, Prefix, MaxLength, Pattern);

    /// <summary>The regex engine's compiled pattern (a <c>regex</c> constraint only).</summary>
    internal Regex? CompiledPattern => _regex;

    private static void WriteBound(Utf8JsonWriter writer, string name, decimal? bound)
    {
        if (bound is decimal value)
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(ExactDecimal.Format(value), skipInputValidation: true);
        }
    }

    private static decimal? Normalize(decimal? value) => value == 0m ? 0m : value;

    private static PassportConstraintValue RequireValue(PassportConstraintValue value) =>
        value.Kind == JsonValueKind.Undefined ? throw new ArgumentException("a default PassportConstraintValue has no value") : value;

    [GeneratedRegex(@"\(\?[imnsx-]*x", RegexOptions.CultureInvariant)]
    private static partial Regex FreeSpacing();

    private static bool TryCompile(string pattern, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Regex? regex, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        regex = null;
        if (pattern.Length > MaxPatternLength)
        {
            error = $"a 'regex' pattern is at most {MaxPatternLength} characters";
            return false;
        }

        // A pattern is compiled alone first, so one that would close the anchoring group early (a)|(b) is refused; and the
        // free-spacing option (?x) is refused, since its '#' comment would swallow the closing anchor.
        if (FreeSpacing().IsMatch(pattern))
        {
            error = "the 'regex' pattern must not turn on free-spacing mode (?x)";
            return false;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);

            // Anchored at both ends (\A … \z, not ^ … $ which would also match before a final newline); the linear engine
            // refuses every construct that needs backtracking, so no pattern can take super-linear time on an argument.
            regex = new Regex($@"\A(?:{pattern})\z", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);
            error = null;
            return true;
        }
        catch (ArgumentException ex)
        {
            error = $"the 'regex' pattern is invalid: {ex.Message}";
            return false;
        }
        catch (NotSupportedException ex)
        {
            error = $"the 'regex' pattern needs a construct the linear-time engine does not support: {ex.Message}";
            return false;
        }
    }
}
