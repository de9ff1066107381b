namespace AgentPassport;

/// <summary>
/// An immutable set of revocation entries, indexed for the hot path: one dictionary lookup per entry kind and link,
/// no allocation. Stores publish a new set on every change; readers hold whichever set they read.
/// </summary>
public sealed class RevocationSet
{
    private readonly Dictionary<string, RevocationEntry> _tokens;
    private readonly Dictionary<string, RevocationEntry> _subjects;
    private readonly Dictionary<string, RevocationEntry> _agents;

    private RevocationSet(Dictionary<string, RevocationEntry> tokens, Dictionary<string, RevocationEntry> subjects, Dictionary<string, RevocationEntry> agents)
    {
        _tokens = tokens;
        _subjects = subjects;
        _agents = agents;
        Count = tokens.Count + subjects.Count + agents.Count;
    }

    /// <summary>Gets the empty set.</summary>
    public static RevocationSet Empty { get; } = new([], [], []);

    /// <summary>Gets the number of entries.</summary>
    public int Count { get; }

    /// <summary>Gets every entry (tokens, then principals, then agents).</summary>
    public IEnumerable<RevocationEntry> Entries => _tokens.Values.Concat(_subjects.Values).Concat(_agents.Values);

    /// <summary>Builds a set from <paramref name="entries"/>, dropping those expired at <paramref name="now"/> and merging repeats.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="now">The clock.</param>
    /// <returns>The set.</returns>
    public static RevocationSet From(IEnumerable<RevocationEntry> entries, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var tokens = new Dictionary<string, RevocationEntry>(StringComparer.Ordinal);
        var subjects = new Dictionary<string, RevocationEntry>(StringComparer.Ordinal);
        var agents = new Dictionary<string, RevocationEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.ExpiresAt < now)
            {
                continue;
            }

            var index = entry.Kind switch
            {
                RevocationEntryKind.TokenId => tokens,
                RevocationEntryKind.Subject => subjects,
                RevocationEntryKind.Agent => agents,
                _ => null,
            };
            if (index is not null && (!index.TryGetValue(entry.Value, out var existing) || Covers(entry, existing)))
            {
                index[entry.Value] = entry;
            }
        }

        return tokens.Count + subjects.Count + agents.Count == 0 ? Empty : new RevocationSet(tokens, subjects, agents);
    }

    /// <summary>Returns a set with <paramref name="entry"/> added and the entries expired at <paramref name="now"/> dropped.</summary>
    /// <param name="entry">The new entry.</param>
    /// <param name="now">The clock.</param>
    /// <returns>The new set.</returns>
    public RevocationSet With(RevocationEntry entry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return From(Entries.Append(entry), now);
    }

    /// <summary>Returns the set without the entries expired at <paramref name="now"/> (this set when none is).</summary>
    /// <param name="now">The clock.</param>
    /// <returns>The pruned set.</returns>
    public RevocationSet Pruned(DateTimeOffset now) => Entries.Any(e => e.ExpiresAt < now) ? From(Entries, now) : this;

    /// <summary>Finds the entry that revokes <paramref name="passport"/>, if any.</summary>
    /// <param name="passport">A link's claims.</param>
    /// <returns>The entry, or null when the link is not revoked.</returns>
    public RevocationEntry? Find(Passport passport)
    {
        ArgumentNullException.ThrowIfNull(passport);
        if (Count == 0)
        {
            return null;
        }

        if (_tokens.Count > 0 && _tokens.TryGetValue(passport.TokenId, out var byToken))
        {
            return byToken;
        }

        if (_subjects.Count > 0 && _subjects.TryGetValue(passport.Subject, out var bySubject) && bySubject.Matches(passport))
        {
            return bySubject;
        }

        return _agents.Count > 0 && _agents.TryGetValue(passport.AgentId, out var byAgent) && byAgent.Matches(passport) ? byAgent : null;
    }

    /// <summary>Gets a value indicating whether <paramref name="candidate"/> revokes at least what <paramref name="existing"/> does, for as long.</summary>
    private static bool Covers(RevocationEntry candidate, RevocationEntry existing) =>
        (candidate.Before ?? DateTimeOffset.MinValue) >= (existing.Before ?? DateTimeOffset.MinValue) && candidate.ExpiresAt >= existing.ExpiresAt;
}
