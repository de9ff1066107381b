using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentPassport;

/// <content>Checking an argument against the constraint. Doubt denies: a missing, null or mistyped argument, or a number beyond exact decimal range, fails.</content>
public sealed partial class PassportConstraint
{
    /// <summary>Gets a value indicating whether an argument satisfies this constraint.</summary>
    /// <param name="argument">The argument as the tool receives it (a JSON value); <see cref="JsonValueKind.Undefined"/> when missing.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool IsSatisfiedBy(JsonElement argument) => Failure(argument) is null;

    /// <summary>Null when the argument satisfies the constraint; otherwise the part that refused it (see <see cref="Check"/>).</summary>
    internal string? Failure(JsonElement argument)
    {
        try
        {
            return Check(argument);
        }
        catch (InvalidOperationException)
        {
            // A string that cannot be decoded (an escaped lone surrogate) is not a value anyone can vouch for.
            return Name;
        }
    }

    /// <summary>Gets a value indicating whether a constraint value (of an <c>eq</c>/<c>in</c> being attenuated) satisfies this constraint.</summary>
    internal bool Accepts(PassportConstraintValue value) => Kind switch
    {
        PassportConstraintKind.Equal => _values[0].Equals(value),
        PassportConstraintKind.OneOf => Array.IndexOf(_values, value) >= 0,
        PassportConstraintKind.Range => value.Number is decimal number && !(number < Min) && !(number > Max),
        PassportConstraintKind.Prefix => value.Text is { } s && s.StartsWith(Prefix!, StringComparison.Ordinal),
        PassportConstraintKind.MaxLength => value.Text is { } s && s.Length <= MaxLength,
        _ => value.Text is { } s && FullyMatches(s),
    };

    /// <summary>Checks an argument; returns the name of the part that refused it (<c>eq</c>, <c>in</c>, <c>min</c>, <c>max</c>, <c>prefix</c>, <c>maxLength</c>, <c>regex</c>), or null when it passes.</summary>
    internal string? Check(JsonElement argument)
    {
        switch (Kind)
        {
            case PassportConstraintKind.Equal:
                return _values[0].Matches(argument) ? null : "eq";

            case PassportConstraintKind.OneOf:
                if (PassportConstraintValue.TryFromJson(argument, out var value))
                {
                    foreach (var allowed in _values)
                    {
                        if (allowed.Equals(value))
                        {
                            return null;
                        }
                    }
                }

                return "in";

            case PassportConstraintKind.Range:
                if (argument.ValueKind != JsonValueKind.Number || !ExactDecimal.TryParse(argument.GetRawText(), out var number))
                {
                    return Min is null ? "max" : "min";
                }

                return number < Min ? "min" : number > Max ? "max" : null;

            case PassportConstraintKind.Prefix:
                return argument.ValueKind == JsonValueKind.String && argument.GetString()!.StartsWith(Prefix!, StringComparison.Ordinal) ? null : "prefix";

            case PassportConstraintKind.MaxLength:
                return argument.ValueKind == JsonValueKind.String && argument.GetString()!.Length <= MaxLength ? null : "maxLength";

            default:
                return argument.ValueKind == JsonValueKind.String && FullyMatches(argument.GetString()!) ? null : "regex";
        }
    }

    private bool FullyMatches(string text)
    {
        try
        {
            return _regex!.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
