using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace AgentPassport.Cli;

/// <summary>
/// Reads <c>--constraints JSON|@FILE</c> (the claim's JSON) and the compact, repeatable
/// <c>--constrain 'SCOPE ARG OP VALUE'</c> (operators <c>=</c>, <c>in</c>, <c>&lt;=</c>, <c>&gt;=</c>, <c>prefix</c>,
/// <c>maxlen</c>, <c>regex</c>) into one <see cref="PassportConstraints"/>. A bad constraint is a usage error (exit 2).
/// </summary>
internal static class ConstraintInput
{
    private const int MaxFileBytes = 64 * 1024;

    public static Option<string?> JsonOption() => CliOptions.OptionalText(
        "--constraints", "Argument constraints as the claim's JSON, or @FILE: {\"SCOPE\":{\"ARG\":{\"max\":500}}} (spec §13).");

    public static Option<string[]> CompactOption() => CliOptions.Many(
        "--constrain", "One constraint, 'SCOPE ARG OP VALUE' with OP one of =, in, <=, >=, prefix, maxlen, regex; e.g. 'flights:book amount <= 500' (repeatable).", "RULE");

    /// <summary>The constraints of both options (the JSON first, then each rule); <c>&lt;=</c> and <c>&gt;=</c> on one argument make one range.</summary>
    public static PassportConstraints Read(string? json, string[]? rules)
    {
        var result = json is null ? PassportConstraints.Empty : ParseJson(json);
        var ranges = new Dictionary<(string Scope, string Argument), (decimal? Min, decimal? Max)>();
        var order = new List<(string Scope, string Argument, PassportConstraint? Constraint)>();
        foreach (string rule in rules ?? [])
        {
            var (scope, argument, op, value) = Split(rule);
            if (op is "<=" or ">=")
            {
                decimal bound = Number(rule, value);
                var key = (scope, argument);
                if (!ranges.TryGetValue(key, out var range))
                {
                    order.Add((scope, argument, null));
                }

                if ((op == "<=" && range.Max is not null) || (op == ">=" && range.Min is not null))
                {
                    throw new UsageException($"--constrain '{rule}': '{argument}' already has a '{op}' bound.");
                }

                ranges[key] = op == "<=" ? (range.Min, bound) : (bound, range.Max);
                continue;
            }

            order.Add((scope, argument, op switch
            {
                "=" => PassportConstraint.Equal(Value(value)),
                "in" => OneOf(rule, value),
                "prefix" => PassportConstraint.StartsWith(value),
                "maxlen" => PassportConstraint.LengthAtMost(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw new UsageException($"--constrain '{rule}': maxlen needs a non-negative integer.")),
                "regex" => Guard(rule, () => PassportConstraint.Matches(value)),
                _ => throw new UsageException($"--constrain '{rule}': unknown operator '{op}' (use =, in, <=, >=, prefix, maxlen, regex)."),
            }));
        }

        foreach (var (scope, argument, constraint) in order)
        {
            var resolved = constraint ?? Guard($"{scope} {argument}", () => PassportConstraint.Range(ranges[(scope, argument)].Min, ranges[(scope, argument)].Max));
            result = Guard($"{scope} {argument}", () => result.With(scope, argument, resolved));
        }

        return result;
    }

    private static PassportConstraints ParseJson(string text)
    {
        if (text.StartsWith('@'))
        {
            string path = text[1..];
            if (!File.Exists(path))
            {
                throw new UsageException($"--constraints: no such file '{path}'.");
            }

            if (new FileInfo(path).Length > MaxFileBytes)
            {
                throw new UsageException($"--constraints: '{path}' is over {MaxFileBytes / 1024} KiB.");
            }

            text = File.ReadAllText(path);
        }

        try
        {
            return PassportConstraints.Parse(text);
        }
        catch (AgentPassportException ex)
        {
            throw new UsageException($"--constraints: {ex.Error.Message}");
        }
    }

    /// <summary>SCOPE ARG OP VALUE: the value is the rest of the rule after the operator (it may contain spaces).</summary>
    private static (string Scope, string Argument, string Op, string Value) Split(string rule)
    {
        var parts = rule.Trim().Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 4
            ? (parts[0], parts[1], parts[2], parts[3].Trim())
            : throw new UsageException($"--constrain '{rule}': expected 'SCOPE ARG OP VALUE', e.g. 'flights:book amount <= 500'.");
    }

    private static PassportConstraint OneOf(string rule, string list)
    {
        var values = list.Split(',').Select(v => Value(v.Trim())).ToArray();
        return values.Length is >= 1 and <= PassportConstraint.MaxValues
            ? PassportConstraint.OneOf(values)
            : throw new UsageException($"--constrain '{rule}': 'in' takes 1..{PassportConstraint.MaxValues} comma-separated values.");
    }

    /// <summary>A value as written: a JSON number or boolean as such, a JSON string in quotes ("500" is the string), anything else as a string.</summary>
    private static PassportConstraintValue Value(string text)
    {
        if (text is "true" or "false")
        {
            return PassportConstraintValue.FromBoolean(text == "true");
        }

        if (text.Length >= 2 && text[0] == '"')
        {
            try
            {
                return PassportConstraintValue.FromString(JsonSerializer.Deserialize<string>(text)!);
            }
            catch (JsonException)
            {
                throw new UsageException($"--constrain: {text} is not a valid JSON string.");
            }
        }

        using var document = TryParseNumber(text);
        return document is not null && PassportConstraintValue.TryFromJson(document.RootElement, out var number)
            ? number
            : PassportConstraintValue.FromString(text);
    }

    private static JsonDocument? TryParseNumber(string text)
    {
        if (text.Length == 0 || !(char.IsAsciiDigit(text[0]) || text[0] == '-'))
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Number)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static decimal Number(string rule, string text)
    {
        using var document = TryParseNumber(text);
        return document is not null && PassportConstraintValue.TryFromJson(document.RootElement, out var value) && value.Number is decimal number
            ? number
            : throw new UsageException($"--constrain '{rule}': '{text}' is not a number an exact decimal holds.");
    }

    private static T Guard<T>(string rule, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException ex)
        {
            string message = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new UsageException($"--constrain '{rule}': {message}");
        }
    }
}
