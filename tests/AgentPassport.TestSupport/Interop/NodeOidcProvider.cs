using System.Diagnostics;

namespace AgentPassport.TestSupport.Interop;

/// <summary>
/// Runs the real OpenID provider of <c>tests/interop/provider.mjs</c> (npm <c>oidc-provider</c>) as a child process on
/// 127.0.0.1. Runs <c>npm ci</c> first when <c>tests/interop/node_modules</c> is missing. Restartable on the same port;
/// every start generates fresh signing keys.
/// </summary>
public sealed class NodeOidcProvider : IAsyncDisposable
{
    public const string ClientId = "agent-passport-interop";
    public const string SkipVariable = "AGENT_PASSPORT_SKIP_NODE_INTEROP";
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private Process? _process;
    private int _port;

    public string Issuer { get; private set; } = string.Empty;

    public Uri DiscoveryUrl => new(Issuer + "/.well-known/openid-configuration");

    /// <summary>Gets whether the interop tests are explicitly opted out (never set on CI).</summary>
    public static bool OptedOut => Environment.GetEnvironmentVariable(SkipVariable) == "1";

    public static string InteropDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AgentPassport.SemanticKernel.sln")))
            {
                dir = dir.Parent;
            }

            return dir is null
                ? throw new InvalidOperationException("Could not find the repository root (AgentPassport.SemanticKernel.sln) above " + AppContext.BaseDirectory)
                : Path.Combine(dir.FullName, "tests", "interop");
        }
    }

    public static async Task<NodeOidcProvider> StartNewAsync()
    {
        var provider = new NodeOidcProvider();
        await provider.StartAsync();
        return provider;
    }

    public async Task StartAsync()
    {
        string node = FindOnPath("node") ?? throw new InvalidOperationException(
            $"Node.js was not found on PATH. Install Node.js 20 or later (https://nodejs.org) to run the OpenID provider interop tests, or set {SkipVariable}=1 to skip them locally.");
        await EnsureInstalledAsync();
        var info = new ProcessStartInfo(node)
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("provider.mjs");
        info.ArgumentList.Add(_port.ToString());
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        _process = process;
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            string? line;
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                line = null;
            }

            if (line is null)
            {
                string stderr;
                lock (errors)
                {
                    stderr = errors.ToString();
                }

                throw new InvalidOperationException($"provider.mjs did not become ready: {stderr}");
            }

            if (line.StartsWith("OIDC_PROVIDER_READY ", StringComparison.Ordinal))
            {
                Issuer = line["OIDC_PROVIDER_READY ".Length..].Trim();
                _port = new Uri(Issuer).Port;
                return;
            }
        }
    }

    public async Task StopAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Runs <c>npm ci</c> in <c>tests/interop</c> unless its packages (oidc-provider, jose) are installed.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(InteropDirectory, "node_modules", "oidc-provider"))
                && Directory.Exists(Path.Combine(InteropDirectory, "node_modules", "jose")))
            {
                return;
            }

            string npm = FindOnPath("npm") ?? throw new InvalidOperationException(
                "npm was not found on PATH. Install Node.js 20 or later (it includes npm) to run the OpenID provider interop tests.");
            var info = new ProcessStartInfo(npm)
            {
                WorkingDirectory = InteropDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "ci", "--no-audit", "--no-fund" })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {InteropDirectory}: {await stderr}{await stdout}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>The full path of <paramref name="program"/> on PATH, or null.</summary>
    public static string? FindOnPath(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in OperatingSystem.IsWindows() ? new[] { program + ".exe", program + ".cmd" } : [program])
            {
                string path = Path.Combine(dir, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }
}
