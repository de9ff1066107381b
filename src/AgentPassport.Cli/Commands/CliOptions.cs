using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary>Option factories with the range and non-empty checks that make a bad value a usage error (exit 2).</summary>
internal static class CliOptions
{
    public static Option<string> RequiredText(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, Required = true };
        option.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
            {
                r.AddError($"{name} must not be empty.");
            }
        });
        return option;
    }

    public static Option<string?> OptionalText(string name, string description) => new(name) { Description = description };

    public static Option<string[]> Many(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.ZeroOrMore };

    public static Option<int> Ttl(int defaultSeconds) =>
        IntInRange("--ttl", 1, 86400, defaultSeconds, $"Lifetime in seconds (1..86400, default {defaultSeconds}).");

    public static Option<int> Level(string name, string what) =>
        IntInRange(name, 0, 3, 0, $"Minimum {what} (0..3, 0 = no floor).");

    /// <summary>An integer option whose parse and range errors both name the option (exit 2).</summary>
    public static Option<int> IntInRange(string name, int min, int max, int defaultValue, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0)
            {
                return defaultValue;
            }

            string text = r.Tokens[^1].Value;
            if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int value)
                || value < min || value > max)
            {
                r.AddError($"{name} must be an integer between {min} and {max} (got '{text}').");
                return defaultValue;
            }

            return value;
        },
    };

    /// <summary>A text option limited to <paramref name="choices"/>, whose error names the option.</summary>
    public static Option<string?> Choice(string name, string description, params string[] choices)
    {
        var option = new Option<string?>(name) { Description = $"{description} ({string.Join(", ", choices)})." };
        option.Validators.Add(r =>
        {
            string? value = r.Tokens.Count > 0 ? r.Tokens[^1].Value : null;
            if (value is not null && !choices.Contains(value, StringComparer.Ordinal))
            {
                r.AddError($"{name} must be one of {string.Join(", ", choices)} (got '{value}').");
            }
        });
        return option;
    }

    public static Argument<string?> Token(string name, string description)
    {
        var argument = new Argument<string?>(name)
        {
            Description = description + " Absent or '-': read from stdin.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        // An optional positional swallows a mistyped option (--frobnicate) or a file name: both are usage errors.
        argument.Validators.Add(r =>
        {
            string? value = r.Tokens.Count > 0 ? r.Tokens[^1].Value : null;
            if (value is not null && value.Length > 1 && value[0] == '-')
            {
                r.AddError($"Unrecognized option '{value}'.");
            }
            else if (value is not null && value != "-" && File.Exists(value))
            {
                r.AddError(TokenInput.NamesAFile(value));
            }
        });
        return argument;
    }
}
