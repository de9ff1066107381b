using System.Diagnostics.CodeAnalysis;

namespace AgentPassport;

/// <summary>
/// One scope or scope pattern (spec §3): <c>segment(:segment)*</c> with segments of <c>[A-Za-z0-9_.-]+</c>,
/// case-sensitive, optionally ending in the segment <c>*</c> ("this prefix and anything deeper"),
/// or the single pattern <c>*</c> ("everything", refused by verifiers unless their policy allows wildcards).
/// </summary>
public readonly record struct PassportScope
{
    /// <summary>The longest scope accepted, in characters.</summary>
    public const int MaxLength = 128;

    private readonly string? _value;

    private PassportScope(string value) => _value = value;

    /// <summary>Gets the scope text.</summary>
    /// <exception cref="InvalidOperationException">The instance is <c>default</c> (never parsed).</exception>
    public string Value => _value ?? throw new InvalidOperationException("A default PassportScope has no value; use PassportScope.Parse.");

    /// <summary>Gets a value indicating whether this is the single pattern <c>*</c> (everything).</summary>
    public bool IsWildcardAll => _value is "*";

    /// <summary>Gets a value indicating whether this is a pattern (<c>*</c> or ending in <c>:*</c>) rather than one concrete scope.</summary>
    public bool IsPattern => _value is not null && _value[^1] == '*';

    /// <summary>Parses <paramref name="value"/>.</summary>
    /// <param name="value">The scope text.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="FormatException">The text breaks the grammar.</exception>
    public static PassportScope Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var scope, out var error) ? scope : throw new FormatException(error);
    }

    /// <summary>Tries to parse <paramref name="value"/>.</summary>
    /// <param name="value">The scope text.</param>
    /// <param name="scope">The scope when parsing succeeds.</param>
    /// <returns><see langword="true"/> when the text follows the grammar.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out PassportScope scope) => TryParse(value, out scope, out _);

    /// <summary>Tries to parse <paramref name="value"/>, describing why it is malformed when it is.</summary>
    /// <param name="value">The scope text.</param>
    /// <param name="scope">The scope when parsing succeeds.</param>
    /// <param name="error">Why the text is malformed, when it is.</param>
    /// <returns><see langword="true"/> when the text follows the grammar.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out PassportScope scope, [NotNullWhen(false)] out string? error)
    {
        scope = default;
        error = Validate(value);
        if (error is not null)
        {
            return false;
        }

        scope = new PassportScope(value!);
        return true;
    }

    /// <summary>
    /// Gets a value indicating whether this scope covers <paramref name="other"/>: every concrete scope
    /// <paramref name="other"/> stands for is also granted by this one.
    /// </summary>
    /// <param name="other">The scope or pattern to test.</param>
    /// <returns><see langword="true"/> when <paramref name="other"/> is covered.</returns>
    public bool Covers(PassportScope other)
    {
        string mine = Value;
        string theirs = other.Value;
        if (mine.Length == 1 && mine[0] == '*')
        {
            return true;
        }

        if (mine[^1] != '*')
        {
            // A concrete scope covers only itself.
            return string.Equals(mine, theirs, StringComparison.Ordinal);
        }

        // mine is "p:*": it covers "p:x..." and "p:x:*" and "p:*" itself, never "p" or "*".
        // theirs is well-formed, so anything after the "p:" prefix is one or more whole segments (or "*").
        int prefixLength = mine.Length - 1; // keeps the trailing ':'
        return theirs.Length > prefixLength
            && string.CompareOrdinal(mine, 0, theirs, 0, prefixLength) == 0;
    }

    /// <inheritdoc />
    public override string ToString() => _value ?? string.Empty;

    internal static string? Validate(string? value)
    {
        if (value is null)
        {
            return "a scope must be a string";
        }

        if (value.Length == 0)
        {
            return "a scope must not be empty";
        }

        if (value.Length > MaxLength)
        {
            return $"a scope must be at most {MaxLength} characters";
        }

        if (value.Length == 1 && value[0] == '*')
        {
            return null;
        }

        int segmentStart = 0;
        for (int i = 0; i <= value.Length; i++)
        {
            if (i < value.Length && value[i] != ':')
            {
                char c = value[i];
                if (c == '*')
                {
                    // '*' is only allowed as the whole last segment.
                    if (i != segmentStart || i != value.Length - 1 || segmentStart == 0)
                    {
                        return "'*' is only allowed as the last whole segment or as the single pattern '*'";
                    }

                    continue;
                }

                if (!IsSegmentChar(c))
                {
                    return $"a scope segment may only contain letters, digits, '_', '.' and '-' (found U+{(int)c:X4})";
                }

                continue;
            }

            if (i == segmentStart)
            {
                return "a scope must not have an empty segment";
            }

            segmentStart = i + 1;
        }

        return null;
    }

    private static bool IsSegmentChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.' or '-';
}
