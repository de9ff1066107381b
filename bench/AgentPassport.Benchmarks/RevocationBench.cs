namespace AgentPassport.Benchmarks;

/// <summary>
/// Verifiers consulting a revocation store of realistic size (1,000 revoked <c>jti</c>s, 100 principals, 100 agents,
/// none matching the bench's chains), so every lookup of the revocation check does real dictionary work.
/// </summary>
public static class RevocationBench
{
    public static InMemoryRevocationStore PopulatedStore()
    {
        var store = new InMemoryRevocationStore();
        var now = TimeProvider.System.GetUtcNow();
        var entries = Enumerable.Range(0, 1000).Select(i => RevocationEntry.ForToken($"revoked-{i:D6}-{Guid.NewGuid():N}", now.AddHours(1)))
            .Concat(Enumerable.Range(0, 100).Select(i => RevocationEntry.ForSubject($"someone-else-{i}", now)))
            .Concat(Enumerable.Range(0, 100).Select(i => RevocationEntry.ForAgent($"agent:other-{i}", now)));
        foreach (var entry in entries)
        {
            store.RevokeAsync(entry).AsTask().GetAwaiter().GetResult();
        }

        return store;
    }
}
