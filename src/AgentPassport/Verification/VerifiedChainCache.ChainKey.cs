namespace AgentPassport;

/// <content>The cache key: a token sequence compared in full, plus the policy values the cached checks read.</content>
internal sealed partial class VerifiedChainCache
{
    /// <summary>
    /// A sequence of compact tokens (root first) and a policy. Lookups wrap the caller's list without copying; stored
    /// keys own an array. Equality compares every token in full (ordinal) and the policy's chain-check values.
    /// </summary>
    /// <remarks>
    /// The hash reads only the last <see cref="HashedChars"/> characters of each token (the signature's tail: random for
    /// every honestly signed token) mixed with a per-process random seed, so a hit costs a few nanoseconds per token
    /// whatever the token size. That is safe because only verified sequences are ever stored, and a lookup still
    /// compares every character: a forged or altered token can at worst land in a bucket and miss.
    /// </remarks>
    internal readonly struct ChainKey : IEquatable<ChainKey>
    {
        private const int HashedChars = 8;

        private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

        private readonly IReadOnlyList<string> _parents;
        private readonly string[]? _array; // the same list when it is an array: direct indexing on the hot path
        private readonly int _parentCount;
        private readonly string? _leaf;
        private readonly VerificationPolicy _policy;
        private readonly int _hash;

        public ChainKey(IReadOnlyList<string> parents, string? leaf, VerificationPolicy policy)
        {
            _parents = parents;
            _array = parents as string[];
            _parentCount = parents.Count;
            _leaf = leaf;
            _policy = policy;
            ulong hash = Seed ^ (ulong)policy.MaxChainDepth;
            for (int i = 0; i < _parentCount; i++)
            {
                hash = Mix(hash, _array is not null ? _array[i] : parents[i]);
            }

            if (leaf is not null)
            {
                hash = Mix(hash, leaf);
            }

            _hash = (int)(hash ^ (hash >> 32));
        }

        public int Count => _parentCount + (_leaf is null ? 0 : 1);

        public string this[int index] => index < _parentCount ? (_array is not null ? _array[index] : _parents[index]) : _leaf!;

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

        private static ulong Mix(ulong hash, string? token)
        {
            if (token is null)
            {
                // A null chain element can never match a stored (verified) sequence; the cold path reports it.
                return hash * 0x9E3779B97F4A7C15UL;
            }

            // The tail's last 8 UTF-16 chars as two 64-bit words, plus the length, folded in with a multiply (wyhash-style).
            var tail = System.Runtime.InteropServices.MemoryMarshal.AsBytes(token.AsSpan(Math.Max(0, token.Length - HashedChars)));
            ulong a = tail.Length >= 8 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(tail) : (ulong)tail.Length;
            ulong b = tail.Length >= 16 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(tail[8..]) : (ulong)token.GetHashCode();
            ulong h = (hash ^ a ^ (ulong)token.Length) * 0x9E3779B97F4A7C15UL;
            return (h ^ (h >> 29) ^ b) * 0xBF58476D1CE4E5B9UL;
        }
    }
}
