using AgentPassport.Redis;

namespace AgentPassport.Cli;

/// <summary>
/// The revocation store the tool consults and writes, from <c>AGENT_PASSPORT_REVOCATION</c>: <c>file</c> (the default:
/// <c>revocations.json</c> in the data directory, owner-only) or <c>redis://host:port</c>.
/// </summary>
internal sealed class CliRevocations : IAsyncDisposable
{
    public const string Variable = "AGENT_PASSPORT_REVOCATION";

    public const string FileName = "revocations.json";

    private CliRevocations(IRevocationStore store, string description)
    {
        Store = store;
        Description = description;
    }

    public IRevocationStore Store { get; }

    /// <summary>Gets where the store is, for messages (never a password).</summary>
    public string Description { get; }

    public static string FilePath => Path.Combine(DataDirectory.Path, FileName);

    /// <exception cref="UsageException">The variable names no known store.</exception>
    public static async Task<CliRevocations> OpenAsync(CliEnvironment env, CancellationToken ct)
    {
        string setting = env.GetNonEmpty(Variable) ?? "file";
        if (string.Equals(setting, "file", StringComparison.OrdinalIgnoreCase))
        {
            // A one-shot process: look at the file on every read (no reload interval to wait for).
            return new CliRevocations(new FileRevocationStore(FilePath, reloadInterval: TimeSpan.Zero), FilePath);
        }

        if (Uri.TryCreate(setting, UriKind.Absolute, out var uri) && uri.Scheme == "redis" && !string.IsNullOrEmpty(uri.Host))
        {
            string endpoint = $"{uri.Host}:{(uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port)}";
            var store = await RedisRevocationStore.ConnectAsync(endpoint, new RedisRevocationStoreOptions(), ct).ConfigureAwait(false);
            return new CliRevocations(store, "redis://" + endpoint);
        }

        throw new UsageException($"{Variable} must be 'file' or 'redis://host:port' (got '{setting}').");
    }

    public async ValueTask DisposeAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }
}
