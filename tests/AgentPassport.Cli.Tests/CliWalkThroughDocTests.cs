using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests;

/// <summary>
/// docs/cli.md's walk-through cannot drift: its ```` ```console ```` blocks run in order, AS WRITTEN, through /bin/sh
/// with <c>agent-passport</c> on the PATH (the built tool), in an empty directory with an isolated HOME and data
/// directory and no CSP_* configuration; each block's output (stdout and stderr, as a terminal shows them) must match
/// the documented output.
/// </summary>
public sealed class CliWalkThroughDocTests : IDisposable
{
    private readonly CliSandbox _cli = new();

    [Fact]
    public async Task EveryConsoleBlockOfTheCliDoc_RunsAsWritten_AndPrintsWhatTheDocShows()
    {
        var blocks = ConsoleBlock.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "cli.md")));
        string all = string.Join('\n', blocks.SelectMany(b => b.Commands));

        // The walk-through the issue asks for is there (so this test cannot pass on an emptied document).
        Assert.True(blocks.Count >= 8, $"only {blocks.Count} console blocks");
        foreach (string step in new[] { "login --mock", "issue ", "delegate ", "verify ", "--chain", "inspect --tree", "--format json", "--format mermaid", "keys jwks", "--tool-scope email:send", "keys holder-new", "--holder-jwk", "prove ", "--proof ", "--proof-key" })
        {
            Assert.Contains(step, all, StringComparison.Ordinal);
        }

        string bin = Path.Combine(_cli.Root, "bin");
        Directory.CreateDirectory(bin);
        string wrapper = Path.Combine(bin, "agent-passport");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet '{CliSandbox.CliDll}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _cli.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");

        foreach (var block in blocks)
        {
            var result = await _cli.ShellAsync("exec 2>&1\n" + string.Join('\n', block.Commands));
            Assert.True(block.Mismatch(result.Stdout) is null, block.Mismatch(result.Stdout));
        }
    }

    public void Dispose() => _cli.Dispose();

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "AgentPassport.SemanticKernel.sln")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (AgentPassport.SemanticKernel.sln) is not above the test output.");
    }
}
