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

    public static Option<int> Ttl(int defaultSeconds)
    {
        var option = new Option<int>("--ttl")
        {
            Description = $"Lifetime in seconds (1..86400, default {defaultSeconds}).",
            DefaultValueFactory = _ => defaultSeconds,
        };
        option.Validators.Add(r =>
        {
            int value = r.GetValueOrDefault<int>();
            if (value is < 1 or > 86400)
            {
                r.AddError($"--ttl must be between 1 and 86400 seconds (got {value}).");
            }
        });
        return option;
    }

    public static Option<int> Level(string name, string what)
    {
        var option = new Option<int>(name) { Description = $"Minimum {what} (0..3, 0 = no floor).", DefaultValueFactory = _ => 0 };
        option.Validators.Add(r =>
        {
            int value = r.GetValueOrDefault<int>();
            if (value is < 0 or > 3)
            {
                r.AddError($"{name} must be between 0 and 3 (got {value}).");
            }
        });
        return option;
    }

    public static Argument<string?> Token(string name, string description) => new(name)
    {
        Description = description + " Absent or '-': read from stdin.",
        Arity = ArgumentArity.ZeroOrOne,
    };
}
