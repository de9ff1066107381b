using System.Collections.Concurrent;

namespace AgentPassport;

/// <summary>
/// Remembers token sequences (a chain's tokens, root first, with or without its leaf) that already passed every
/// signature, claim and chain-link check, so a <see cref="PassportVerifier"/> built with it does not redo the
/// signature work for them. Opt-in: pass one to the verifier's constructor. Bounded and thread-safe; one cache may
/// be shared by several verifiers.
/// </summary>
/// <remarks>
/// <para>As spec §5 allows: entries are keyed on the <b>full token strings</b> and on the policy, never on
/// <c>jti</c> or <c>kid</c> (both are attacker-chosen in a forged token). A lookup compares every token in full.</para>
/// <para>An entry serves only while the clock is inside every token's validity window (it stops at the earliest
/// <c>exp</c> in the sequence plus the policy's skew) and while the verifier's key resolver still returns, for every
/// <c>kid</c> used, the key that verified it; key rotation or removal therefore evicts it on the next lookup.</para>
/// <para>The leaf checks that depend on the caller (audience, IAL/AAL/FAL floors, wildcard and required scope, chain
/// shape) are never cached: they run on every call, hit or miss.</para>
/// </remarks>
internal sealed partial class VerifiedChainCache
{
    /// <summary>The default number of entries kept.</summary>
    public const int DefaultCapacity = 1024;

    private readonly ConcurrentDictionary<ChainKey, Entry> _entries = new();
    private readonly Lock _trimGate = new();
    private int _count;

    /// <summary>Initializes a cache.</summary>
    /// <param name="capacity">The most entries kept (1..1,000,000); when full, expired entries go first, then arbitrary ones.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is out of range.</exception>
    public VerifiedChainCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1_000_000);
        Capacity = capacity;
    }

    /// <summary>Gets the most entries kept.</summary>
    public int Capacity { get; }

    /// <summary>Gets the number of entries currently kept (expired ones included until they are looked up or trimmed).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Forgets every entry.</summary>
    public void Clear()
    {
        foreach (var key in _entries.Keys)
        {
            Remove(key);
        }
    }

    /// <summary>Finds the entry for exactly <paramref name="parents"/> (+ <paramref name="leaf"/> when not null) under <paramref name="policy"/>'s chain checks, valid at <paramref name="now"/>.</summary>
    internal bool TryGet(IReadOnlyList<string> parents, string? leaf, VerificationPolicy policy, DateTimeOffset now, out Entry entry)
    {
        var key = new ChainKey(parents, leaf, policy);
        if (!_entries.TryGetValue(key, out entry!))
        {
            return false;
        }

        if (now > entry.ValidUntil)
        {
            Remove(entry);
            return false;
        }

        // Before the latest nbf/iat (minus skew) a token is not yet valid; the clock may have been set back.
        return now >= entry.ValidFrom;
    }

    /// <summary>Remembers a sequence whose every token passed steps 1–4 and whose links passed step 6.</summary>
    /// <param name="tokens">The verified tokens, root first; the last one is the sequence's leaf.</param>
    /// <param name="keys">The <c>kid</c> each token named and the key that verified it (repeats are fine).</param>
    /// <param name="policy">The policy whose chain checks they passed.</param>
    /// <param name="now">The clock, to trim expired entries when full.</param>
    internal void Add(SignedPassport[] tokens, KeyUse[] keys, VerificationPolicy policy, DateTimeOffset now)
    {
        var entry = Entry.Create(tokens, keys, policy);
        if (now > entry.ValidUntil)
        {
            return;
        }

        if (Volatile.Read(ref _count) >= Capacity)
        {
            Trim(now);
        }

        if (_entries.TryAdd(entry.Key, entry))
        {
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>Drops exactly this entry (expired, or a key it depends on is gone or changed), not a newer one under the same key.</summary>
    internal void Remove(Entry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<ChainKey, Entry>(entry.Key, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void Remove(in ChainKey key)
    {
        if (_entries.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void Trim(DateTimeOffset now)
    {
        lock (_trimGate)
        {
            if (Volatile.Read(ref _count) < Capacity)
            {
                return;
            }

            foreach (var (key, entry) in _entries)
            {
                if (now > entry.ValidUntil)
                {
                    Remove(key);
                }
            }

            // Still full of live entries: drop arbitrary ones down to three quarters, so trims stay rare.
            int target = Capacity * 3 / 4;
            foreach (var key in _entries.Keys)
            {
                if (Volatile.Read(ref _count) <= target)
                {
                    break;
                }

                Remove(key);
            }
        }
    }

    /// <summary>A verified sequence and what it depends on.</summary>
    internal sealed class Entry
    {
        private Entry(ChainKey key, SignedPassport[] tokens, KeyUse[] keys, DateTimeOffset validFrom, DateTimeOffset validUntil)
        {
            Key = key;
            Tokens = tokens;
            Keys = keys;
            ValidFrom = validFrom;
            ValidUntil = validUntil;
            Leaf = tokens[^1].Passport;
            Parents = tokens.AsMemory(0, tokens.Length - 1).ToArray();
            Verified = new VerifiedPassport(tokens[^1].Token, Leaf, Parents);
        }

        public ChainKey Key { get; }

        /// <summary>Gets the verified tokens, root first.</summary>
        public SignedPassport[] Tokens { get; }

        /// <summary>Gets every distinct (kid, key) pair that verified a token of the sequence.</summary>
        public KeyUse[] Keys { get; }

        /// <summary>Gets the earliest instant every token is valid: the latest <c>nbf</c>/<c>iat</c> minus skew.</summary>
        public DateTimeOffset ValidFrom { get; }

        /// <summary>Gets the last instant every token is valid: the earliest <c>exp</c> plus skew.</summary>
        public DateTimeOffset ValidUntil { get; }

        /// <summary>Gets the claims of the sequence's last token.</summary>
        public Passport Leaf { get; }

        /// <summary>Gets every token but the last, root first.</summary>
        public SignedPassport[] Parents { get; }

        /// <summary>Gets the result handed out on a hit, built once so a hit allocates nothing.</summary>
        public VerifiedPassport Verified { get; }

        public static Entry Create(SignedPassport[] tokens, KeyUse[] keys, VerificationPolicy policy)
        {
            var skew = policy.ClockSkew;
            DateTimeOffset from = DateTimeOffset.MinValue, until = DateTimeOffset.MaxValue;
            var uses = new List<KeyUse>(1);
            var strings = new string[tokens.Length];
            for (int i = 0; i < tokens.Length; i++)
            {
                var p = tokens[i].Passport;
                strings[i] = tokens[i].Token;
                var start = p.NotBefore > p.IssuedAt ? p.NotBefore : p.IssuedAt;
                if (start > from)
                {
                    from = start;
                }

                if (p.ExpiresAt < until)
                {
                    until = p.ExpiresAt;
                }

            }

            foreach (var use in keys)
            {
                if (!uses.Contains(use))
                {
                    uses.Add(use);
                }
            }

            var key = new ChainKey(strings, null, policy);
            // Saturating: an exp within the skew of 9999-12-31 must not overflow (validity then runs to the end of time).
            var validUntil = DateTimeOffset.MaxValue - until > skew ? until + skew : DateTimeOffset.MaxValue;
            var validFrom = from - DateTimeOffset.MinValue > skew ? from - skew : DateTimeOffset.MinValue;
            return new Entry(key, tokens, [.. uses], validFrom, validUntil);
        }
    }

    /// <summary>An issuer, a <c>kid</c>, and the key that issuer's key set returned for it when the sequence was verified.</summary>
    internal readonly record struct KeyUse(string Issuer, string KeyId, PassportVerificationKey Key)
    {
        /// <summary>
        /// Gets a value indicating whether <paramref name="current"/> (what the resolver returns now) is still that key: the
        /// same instance, or the same public key (equal RFC 7638 thumbprint) bound to the same algorithm.
        /// </summary>
        public bool StillTrusted(PassportVerificationKey? current) =>
            current is not null
            && (ReferenceEquals(current, Key)
                || (string.Equals(current.KeyId, Key.KeyId, StringComparison.Ordinal) && string.Equals(current.Algorithm, Key.Algorithm, StringComparison.Ordinal)));
    }
}
