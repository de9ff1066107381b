namespace AgentPassport;

/// <content>The cache key: a token sequence compared in full, plus the policy values the cached checks read.</content>
public sealed partial class VerifiedChainCache
{
    /// <summary>
    /// A sequence of compact tokens (root first) and a policy. Lookups wrap the caller's list without copying; stored
    /// keys own an array. Equality compares every token in full (ordinal) and the policy's chain-check values.
    /// </summary>
    /// <remarks>
    /// The hash reads only the last <see cref="HashedSuffix"/> characters of each token (the signature's tail, random
    /// for every honestly signed token) with the process-randomized string hash, so a hit costs tens of nanoseconds
    /// whatever the token size. That is safe because only verified sequences are ever stored, and a lookup still
    /// compares every character: a forged token can at worst land in a bucket and miss.
    /// </remarks>
    internal readonly struct ChainKey : IEquatable<ChainKey>
    {
        private const int HashedSuffix = 32;

        private readonly IReadOnlyList<string> _parents;
        private readonly string? _leaf;
        private readonly VerificationPolicy _policy;
        private readonly int _hash;

        public ChainKey(IReadOnlyList<string> parents, string? leaf, VerificationPolicy policy)
        {
            _parents = parents;
            _leaf = leaf;
            _policy = policy;
            var hash = default(HashCode);
            hash.Add(PolicyHash(policy));
            int count = Count;
            for (int i = 0; i < count; i++)
            {
                var token = this[i];
                hash.Add(token.Length);
                hash.Add(string.GetHashCode(token.AsSpan(Math.Max(0, token.Length - HashedSuffix))));
            }

            _hash = hash.ToHashCode();
        }

        public int Count => _parents.Count + (_leaf is null ? 0 : 1);

        public string this[int index] => index < _parents.Count ? _parents[index] : _leaf!;

        public bool Equals(ChainKey other)
        {
            int count = Count;
            if (_hash != other._hash || count != other.Count || !SameChainPolicy(_policy, other._policy))
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (!string.Equals(this[i], other[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is ChainKey other && Equals(other);

        public override int GetHashCode() => _hash;

        /// <summary>
        /// Gets a value indicating whether two policies agree on everything spec §5 steps 1–4 and the chain links
        /// (step 6) read: size cap, algorithms, issuers, skew, lifetime cap, depth cap. The leaf-only values
        /// (audience, level floors, wildcard, required scope) are checked on every call instead, so they are not part
        /// of the key. <c>VerifiedChainCacheTests</c> fails when <see cref="VerificationPolicy"/> gains a property
        /// that is in neither list.
        /// </summary>
        internal static bool SameChainPolicy(VerificationPolicy a, VerificationPolicy b) =>
            ReferenceEquals(a, b)
            || (a.ClockSkew == b.ClockSkew
                && a.MaxChainDepth == b.MaxChainDepth
                && a.MaxTokenBytes == b.MaxTokenBytes
                && a.MaxLifetime == b.MaxLifetime
                && a.Issuers.SetEquals(b.Issuers)
                && a.AllowedAlgorithms.SetEquals(b.AllowedAlgorithms));

        private static int PolicyHash(VerificationPolicy p) =>
            HashCode.Combine(p.ClockSkew.Ticks, p.MaxChainDepth, p.MaxTokenBytes, p.MaxLifetime.Ticks, p.Issuers.Count, p.AllowedAlgorithms.Count);
    }
}
