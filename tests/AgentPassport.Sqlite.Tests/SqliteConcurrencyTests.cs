namespace AgentPassport.Sqlite.Tests;

/// <summary>Many agents deciding at once: exactly one record per decision, in one intact chain.</summary>
public sealed class SqliteConcurrencyTests : IDisposable
{
    private readonly SqliteLogFixture _f = new();

    [Fact]
    public async Task Eight_agents_times_ten_thousand_decisions_from_several_threads_give_exactly_one_record_each()
    {
        const int Agents = 8, Decisions = 10_000;
        await using (var log = await SqlitePassportAuditLog.OpenAsync(_f.LogPath, _f.Options(every: 1000)))
        {
            var agents = Enumerable.Range(0, Agents).Select(a => Task.Run(async () =>
            {
                // Each agent keeps 16 calls in flight, as concurrent tool calls of one agent would.
                await Parallel.ForEachAsync(Enumerable.Range(0, Decisions), new ParallelOptions { MaxDegreeOfParallelism = 16 },
                    async (i, ct) => await log.WriteAsync(SqliteLogFixture.Event(i, "agent:" + a), ct));
            }));
            await Task.WhenAll(agents);
            Assert.Equal(Agents * Decisions, log.WrittenEvents);
        }

        var result = await _f.VerifyAsync(requireSealed: true, keepEvents: true);
        Assert.Equal(PassportAuditLogFault.None, result.Fault);
        Assert.Equal(Agents * Decisions, result.Events.Count);
        var distinct = result.Events.Select(e => (e.AgentId, e.ToolName)).Distinct().Count();
        Assert.Equal(Agents * Decisions, distinct);
    }

    public void Dispose() => _f.Dispose();
}
