using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentPassport;

/// <content>Reading one constraint object strictly: exactly one kind (or <c>min</c>/<c>max</c> together), typed values.</content>
public sealed partial class PassportConstraint
{
    /// <summary>Reads one constraint object, for example <c>{"in":["JFK","LGA"]}</c>.</summary>
    /// <param name="json">The JSON object.</param>
    /// <param name="constraint">The constraint, when valid.</param>
    /// <param name="error">Why it is not, naming the member.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    internal static bool TryParse(JsonElement json, [NotNullWhen(true)] out PassportConstraint? constraint, [NotNullWhen(false)] out string? error)
    {
        constraint = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = "a constraint must be a JSON object such as {\"max\": 500}";
            return false;
        }

        JsonElement? min = null, max = null;
        string? single = null;
        JsonElement singleValue = default;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in json.EnumerateObject())
        {
            if (!seen.Add(member.Name))
            {
                error = $"the constraint member '{member.Name}' appears twice";
                return false;
            }

            switch (member.Name)
            {
                case "min":
                    min = member.Value;
                    break;
                case "max":
                    max = member.Value;
                    break;
                case "eq" or "in" or "prefix" or "maxLength" or "regex" when single is null:
                    single = member.Name;
                    singleValue = member.Value;
                    break;
                case "eq" or "in" or "prefix" or "maxLength" or "regex":
                    error = $"a constraint has one kind, not both '{single}' and '{member.Name}'";
                    return false;
                default:
                    error = $"unknown constraint kind '{Clip(member.Name)}' (known: eq, in, min, max, prefix, maxLength, regex)";
                    return false;
            }
        }

        if (single is not null && (min is not null || max is not null))
        {
            error = $"a constraint has one kind, not both '{single}' and '{(min is not null ? "min" : "max")}'";
            return false;
        }

        return single is null ? TryRange(min, max, out constraint, out error) : TrySingle(single, singleValue, out constraint, out error);
    }

    private static bool TryRange(JsonElement? min, JsonElement? max, [NotNullWhen(true)] out PassportConstraint? constraint, [NotNullWhen(false)] out string? error)
    {
        constraint = null;
        error = null;
        if (min is null && max is null)
        {
            error = "a constraint must not be empty (one of eq, in, min/max, prefix, maxLength, regex)";
            return false;
        }

        decimal? low = null, high = null;
        if ((min is JsonElement minJson && !TryNumber(minJson, "min", out low, out error)) || (max is JsonElement maxJson && !TryNumber(maxJson, "max", out high, out error)))
        {
            return false;
        }

        if (low > high)
        {
            error = "a range's 'min' is above its 'max'";
            return false;
        }

        constraint = new(PassportConstraintKind.Range, min: Normalize(low), max: Normalize(high));
        error = null;
        return true;
    }

    private static bool TrySingle(string kind, JsonElement value, [NotNullWhen(true)] out PassportConstraint? constraint, [NotNullWhen(false)] out string? error)
    {
        constraint = null;
        error = null;
        switch (kind)
        {
            case "eq":
                if (!PassportConstraintValue.TryFromJson(value, out var eq))
                {
                    error = "'eq' must be a string, a boolean or a number an exact decimal holds";
                    return false;
                }

                constraint = new(PassportConstraintKind.Equal, [eq]);
                return true;

            case "in":
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is < 1 or > MaxValues)
                {
                    error = $"'in' must be an array of 1..{MaxValues} values";
                    return false;
                }

                var values = new PassportConstraintValue[value.GetArrayLength()];
                int i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (!PassportConstraintValue.TryFromJson(item, out values[i++]))
                    {
                        error = "each 'in' value must be a string, a boolean or a number an exact decimal holds";
                        return false;
                    }
                }

                constraint = new(PassportConstraintKind.OneOf, values);
                return true;

            case "prefix":
                if (value.ValueKind != JsonValueKind.String)
                {
                    error = "'prefix' must be a string";
                    return false;
                }

                constraint = new(PassportConstraintKind.Prefix, text: value.GetString());
                return true;

            case "maxLength":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int length) || length < 0)
                {
                    error = "'maxLength' must be a non-negative integer";
                    return false;
                }

                constraint = new(PassportConstraintKind.MaxLength, maxLength: length);
                return true;

            default:
                if (value.ValueKind != JsonValueKind.String)
                {
                    error = "'regex' must be a string";
                    return false;
                }

                string pattern = value.GetString()!;
                if (!TryCompile(pattern, out Regex? regex, out error))
                {
                    return false;
                }

                constraint = new(PassportConstraintKind.Regex, text: pattern, regex: regex);
                return true;
        }
    }

    private static bool TryNumber(JsonElement json, string name, out decimal? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        if (json.ValueKind != JsonValueKind.Number || !ExactDecimal.TryParse(json.GetRawText(), out var number))
        {
            error = $"'{name}' must be a number an exact decimal holds";
            return false;
        }

        value = number;
        error = null;
        return true;
    }

    /// <summary>Clips attacker-chosen text quoted in an error message.</summary>
    internal static string Clip(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
