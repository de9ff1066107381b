using System.Diagnostics;
using System.Globalization;

namespace AgentPassport.Sqlite.Tests;

/// <summary>Separate writer processes: one killed with SIGKILL mid-stream, two whose logs join into one tree.</summary>
public sealed class SqliteProcessTests : IDisposable
{
    private static readonly string WriterDll = Path.Combine(AppContext.BaseDirectory, "AgentPassport.Sqlite.Writer.dll");
    private readonly SqliteLogFixture _f = new();

    [Fact]
    public async Task A_writer_killed_mid_stream_leaves_a_log_that_verifies_up_to_its_last_complete_record()
    {
        using var writer = Start("stream", _f.LogPath, _f.KeyPath);
        long acknowledged = 0;
        while (acknowledged < 300 && await writer.StandardOutput.ReadLineAsync() is { } line)
        {
            acknowledged = long.Parse(line, CultureInfo.InvariantCulture);
        }

        writer.Kill(); // SIGKILL: no closing checkpoint, no flush, mid-stream
        await writer.WaitForExitAsync();
        Assert.True(acknowledged >= 300, "the writer did not get going");

        var result = await _f.VerifyAsync(keepEvents: true);
        Assert.Equal(PassportAuditLogFault.None, result.Fault);
        Assert.False(result.Sealed);
        Assert.True(result.VerifiedEvents >= acknowledged, $"{result.VerifiedEvents} events verified, {acknowledged} acknowledged");
        Assert.Equal(Enumerable.Range(1, result.Events.Count).Select(i => "read_file_" + i), result.Events.Select(e => e.ToolName));

        // The log accepts a new writer after the crash, which continues the chain.
        await using (var reopened = await SqlitePassportAuditLog.OpenAsync(_f.LogPath, _f.Options()))
        {
            await reopened.WriteAsync(SqliteLogFixture.Event(1));
        }

        var after = await _f.VerifyAsync(requireSealed: true);
        Assert.Equal(PassportAuditLogFault.None, after.Fault);
        Assert.Equal(result.VerifiedEvents + 1, after.VerifiedEvents);
    }

    [Fact]
    public async Task Two_processes_write_two_logs_that_join_into_the_tree_of_what_happened()
    {
        string orchestrator = Path.Combine(_f.Dir, "orchestrator.db"), tools = Path.Combine(_f.Dir, "tools.db");
        await RunAsync("mint", orchestrator, _f.KeyPath, "jti-root", "jti-child");
        await RunAsync("calls", tools, Path.Combine(_f.Dir, "tools-key.pem"), "jti-child", "3");

        var logs = new List<PassportAuditLogVerification>();
        foreach (var path in new[] { tools, orchestrator })
        {
            var result = await SqlitePassportAuditLog.VerifyAsync(path, new() { RequireSealed = true, KeepEvents = true });
            Assert.Equal(PassportAuditLogFault.None, result.Fault);
            logs.Add(result);
        }

        var tree = DelegationTree.Build(logs);
        var root = Assert.Single(Assert.Single(tree.Principals).Agents);
        Assert.Equal(("agent:orchestrator", "jti-root"), (root.AgentId, root.TokenId));
        Assert.Single(root.Decisions);
        var child = Assert.Single(root.Children);
        Assert.Equal("agent:worker", child.AgentId);
        Assert.Equal(["read_file_1", "read_file_2", "read_file_3"], child.Decisions.Select(d => d.ToolName));
        Assert.Equal([PassportAuditEventKind.Allowed, PassportAuditEventKind.Denied, PassportAuditEventKind.Allowed], child.Decisions.Select(d => d.Kind));
        Assert.Empty(tree.Unattributed);
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(WriterDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static async Task RunAsync(params string[] args)
    {
        using var process = Start(args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
    }

    public void Dispose() => _f.Dispose();
}
