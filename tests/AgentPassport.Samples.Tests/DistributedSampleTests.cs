using System.Diagnostics;
using AgentPassport.Samples.Tests.Support;

namespace AgentPassport.Samples.Tests;

public sealed class DistributedSampleTests
{
    [Fact]
    public async Task Distributed_runs_issuer_tool_server_and_orchestrator_as_three_processes_and_rebuilds_the_tree_from_both_logs()
    {
        var run = await SampleRunner.RunAsync("Distributed");

        run.AssertCompleted();
        string services = run.SectionText("2. Two services start as child processes of this app");
        Assert.Matches(@"issuer:\s+http://127\.0\.0\.1:\d+  \(JWKS", services);
        Assert.Matches(@"tool server:\s+http://127\.0\.0\.1:\d+/mcp", services);

        string chain = run.SectionText("3. Token exchange: Alice's root Passport, then Alice → Bob → Carol, each bound to its own key");
        Assert.Matches(@"carol:\s+\[""flights:book""\] depth 2, bound to key", chain);

        string calls = run.SectionText("4. Carol calls the tool server (a fresh proof per call, bound to the arguments)");
        Assert.Matches(@"carol flights_book dest=JFK, amount=420\s+ALLOWED  BOOKED SFO -> JFK for 420", calls);
        Assert.Matches(@"carol flights_book dest=JFK, amount=900\s+DENIED   ConstraintViolation \(AP0047\)", calls);
        Assert.Matches(@"carol flights_cancel confirmation=PNR-7Q2K\s+DENIED   ScopeViolation \(AP0013\)", calls);

        string after = run.SectionText("6. After the revocation");
        Assert.Matches(@"carol flights_book dest=JFK, amount=300\s+DENIED   Revoked \(AP0040\)", after);
        Assert.Matches(@"alice flights_search route=SFO -> JFK\s+ALLOWED", after);

        string stopped = run.SectionText("7. The services stop (each seals its audit log)");
        Assert.Matches(@"issuer:\s+exit 0", stopped);
        Assert.Matches(@"tool server:\s+exit 0", stopped);

        string logs = run.SectionText("8. Both audit logs verified; the delegation tree rebuilt from both");
        Assert.Matches(@"issuer log:\s+verified: \d+ events, sealed True", logs);
        Assert.Matches(@"tools log:\s+verified: \d+ events, sealed True", logs);
        // alice → bob → carol, each one level deeper: the mints come from the issuer's log, the calls from the tool server's.
        Assert.Matches(@"\n  └── agent:alice .*\n(.*\n)*?      └── agent:bob .*\[REVOKED: jti\]\n          └── agent:carol .*\[REVOKED via ancestor\]", logs);
        Assert.Contains("DENIED flights:book (flights_book): Revoked AP0040", logs);

        Assert.DoesNotContain("eyJ", run.Output); // no token, proof or ID token printed
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(60), $"The run took {run.Elapsed}.");
        Assert.Empty(ServiceProcessesOf(run));
    }

    /// <summary>Any process still running the sample's services (they must have stopped with the orchestrator).</summary>
    private static string[] ServiceProcessesOf(SampleRun run) =>
        Process.GetProcesses()
            .Where(p => CommandLine(p) is { } line && line.Contains("Distributed.dll", StringComparison.Ordinal) && line.Contains(RunFolder(run), StringComparison.Ordinal))
            .Select(p => $"{p.Id}: {CommandLine(p)}")
            .ToArray();

    private static string RunFolder(SampleRun run) =>
        run.Lines.Single(l => l.TrimStart().StartsWith("run folder:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();

    private static string? CommandLine(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
