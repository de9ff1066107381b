namespace AgentPassport.Cli;

/// <summary>
/// The tool's configuration variables: the process environment first, then a <c>.env</c> file in the working
/// directory, which never overrides a variable the environment sets (even to an empty value).
/// </summary>
internal sealed class CliEnvironment
{
    /// <summary>The issuer URL used when <c>AGENT_PASSPORT_ISSUER</c> is not set.</summary>
    public const string DefaultIssuer = "https://issuer.local";

    private readonly IReadOnlyDictionary<string, string> _dotEnv;

    private CliEnvironment(IReadOnlyDictionary<string, string> dotEnv) => _dotEnv = dotEnv;

    /// <summary>Gets the Passport issuer URL (<c>AGENT_PASSPORT_ISSUER</c>, default <c>https://issuer.local</c>).</summary>
    public string IssuerUrl => GetNonEmpty("AGENT_PASSPORT_ISSUER") ?? DefaultIssuer;

    public static CliEnvironment Load() => new(DotEnvFile.Read(Path.Combine(Environment.CurrentDirectory, ".env")));

    /// <summary>Gets a variable, or null when neither the environment nor <c>.env</c> sets it.</summary>
    public string? Get(string name) => Environment.GetEnvironmentVariable(name) ?? _dotEnv.GetValueOrDefault(name);

    /// <summary>Gets a variable, treating an empty or blank value as unset.</summary>
    public string? GetNonEmpty(string name)
    {
        string? value = Get(name)?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Gets a required variable.</summary>
    /// <exception cref="UsageException">The variable is unset or empty.</exception>
    public string Require(string name) => GetNonEmpty(name)
        ?? throw new UsageException($"{name} is not set. Set it in the environment or in a .env file (see .env.example).");
}
