using System.Diagnostics;

namespace AgentPassport.Cli.Tests.Support;

/// <summary>
/// Runs the BUILT tool (<c>dotnet agent-passport.dll</c>) as a real process with its own HOME, XDG_DATA_HOME and
/// working directory under a fresh temporary directory, and none of the caller's CSP_* / AGENT_PASSPORT_* variables.
/// </summary>
public sealed class CliSandbox : IDisposable
{
    public const string LocalIssuer = "https://issuer.local";

    private static readonly string[] ScrubbedPrefixes = ["CSP_", "AGENT_PASSPORT_", "XDG_", "DOTNET_ENVIRONMENT"];

    public CliSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "ap-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        Home = Path.Combine(Root, "home");
        WorkDir = Path.Combine(Root, "work");
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(WorkDir);
        Environment["HOME"] = Home;
        Environment["XDG_DATA_HOME"] = Path.Combine(Root, "xdg");
    }

    public string Root { get; }

    public string Home { get; }

    public string WorkDir { get; }

    /// <summary>Gets the variables set for every run (in addition to a scrubbed copy of this process's environment).</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public string DataDir => Path.Combine(Environment["XDG_DATA_HOME"]!, "agent-passport");

    public string KeysDir => Path.Combine(DataDir, "keys");

    public static string CliDll { get; } = LocateCli();

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs the tool; <paramref name="stdin"/> null leaves stdin an empty pipe.</summary>
    public Task<CliResult> RunWithInputAsync(string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { ArgumentList = { CliDll } };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        return StartAsync(psi, stdin);
    }

    /// <summary>Runs the tool, handing each stderr line to <paramref name="onStderrLine"/> as it arrives (for interactive flows).</summary>
    public Task<CliResult> RunInteractiveAsync(Func<string, Task> onStderrLine, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { ArgumentList = { CliDll } };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        return StartAsync(psi, null, onStderrLine);
    }

    /// <summary>Runs a /bin/sh command line in which <c>$AP</c> is the tool (for pipes).</summary>
    public Task<CliResult> ShellAsync(string commandLine)
    {
        var psi = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", commandLine } };
        psi.Environment["AP"] = $"dotnet {CliDll}";
        return StartAsync(psi, null);
    }

    public string WriteFile(string name, string content)
    {
        string path = Path.Combine(WorkDir, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private async Task<CliResult> StartAsync(ProcessStartInfo psi, string? stdin, Func<string, Task>? onStderrLine = null)
    {
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.WorkingDirectory = WorkDir;
        foreach (string name in psi.Environment.Keys.ToList())
        {
            if (ScrubbedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                psi.Environment.Remove(name);
            }
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in Environment)
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = ReadLinesAsync(process.StandardError, onStderrLine);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"agent-passport did not exit within 60 s: {string.Join(' ', psi.ArgumentList)}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static async Task<string> ReadLinesAsync(StreamReader reader, Func<string, Task>? onLine)
    {
        var text = new System.Text.StringBuilder();
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            text.Append(line).Append('\n');
            if (onLine is not null)
            {
                await onLine(line);
            }
        }

        return text.ToString();
    }

    private static string LocateCli()
    {
        // The test project references the CLI project, so it is built; prefer its own output folder (with its deps.json).
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = dir.Parent?.Name ?? "Debug";
        for (var d = dir; d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "AgentPassport.SemanticKernel.sln")))
            {
                string candidate = Path.Combine(d.FullName, "src", "AgentPassport.Cli", "bin", configuration, "net10.0", "agent-passport.dll");
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                break;
            }
        }

        string local = Path.Combine(AppContext.BaseDirectory, "agent-passport.dll");
        return File.Exists(local) ? local : throw new FileNotFoundException("agent-passport.dll was not built next to the tests.");
    }
}
