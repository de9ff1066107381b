using System.Collections.Concurrent;

namespace AgentPassport;

/// <summary>
/// Caches successful verifications only as spec §5 allows: keyed on the full token strings and the policy instance,
/// expiring at the earliest <c>exp</c> in the chain; never keyed on <c>jti</c> or <c>kid</c>. Failures are never cached.
/// </summary>
internal sealed class VerificationCache
{
    private readonly ConcurrentDictionary<Key, Entry> _entries = new();
    private readonly int _capacity;
    private readonly TimeProvider _time;

    public VerificationCache(int capacity, TimeProvider time)
    {
        _capacity = capacity;
        _time = time;
    }

    public bool TryGet(PassportContext context, VerificationPolicy policy, out VerifiedPassport? passport)
    {
        passport = null;
        if (_capacity == 0)
        {
            return false;
        }

        var key = new Key(context.Token, context.JoinedChain, policy);
        if (!_entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        if (_time.GetUtcNow() >= entry.ExpiresAt)
        {
            _entries.TryRemove(key, out _);
            return false;
        }

        passport = entry.Passport;
        return true;
    }

    public void Add(PassportContext context, VerificationPolicy policy, VerifiedPassport passport)
    {
        if (_capacity == 0)
        {
            return;
        }

        var expiresAt = passport.Passport.ExpiresAt;
        foreach (var parent in passport.Chain)
        {
            if (parent.Passport.ExpiresAt < expiresAt)
            {
                expiresAt = parent.Passport.ExpiresAt;
            }
        }

        if (_entries.Count >= _capacity)
        {
            Trim();
        }

        _entries[new Key(context.Token, context.JoinedChain, policy)] = new Entry(passport, expiresAt);
    }

    private void Trim()
    {
        var now = _time.GetUtcNow();
        foreach (var pair in _entries)
        {
            if (now >= pair.Value.ExpiresAt)
            {
                _entries.TryRemove(pair.Key, out _);
            }
        }

        // Still full of live entries: start over rather than grow without bound.
        if (_entries.Count >= _capacity)
        {
            _entries.Clear();
        }
    }

    // The policy compares by reference: the authorizer hands out one instance per audience.
    private readonly record struct Key(string Token, string Chain, VerificationPolicy Policy);

    private sealed record Entry(VerifiedPassport Passport, DateTimeOffset ExpiresAt);
}
