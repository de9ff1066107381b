using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AgentPassport.Jose;

/// <summary>
/// The member names seen in one JSON object, to refuse duplicates, without allocating a string per name: each
/// (unescaped) name is reduced to a 64-bit hash with process-random seeds. Up to <see cref="InlineCapacity"/> names
/// live inline on the stack; larger objects switch to a hash set.
/// </summary>
/// <remarks>
/// Equal names always give equal hashes, so a duplicate is never missed. Two different names sharing a 64-bit hash
/// (odds about 2⁻⁶⁴ per pair, and the seeds are unknown to a sender) would only make a token be refused, never accepted.
/// </remarks>
internal struct MemberNameSet
{
    private const int InlineCapacity = 24;
    private const int StackLimit = 256;

    private InlineHashes _inline;
    private int _count;
    private HashSet<ulong>? _set;

    /// <summary>Records the property name the reader is on.</summary>
    /// <returns>False when the name was already present.</returns>
    public bool Add(ref Utf8JsonReader reader)
    {
        ulong hash = HashName(ref reader);
        if (_set is not null)
        {
            return _set.Add(hash);
        }

        for (int i = 0; i < _count; i++)
        {
            if (_inline[i] == hash)
            {
                return false;
            }
        }

        if (_count < InlineCapacity)
        {
            _inline[_count++] = hash;
            return true;
        }

        _set = new HashSet<ulong>(InlineCapacity * 2);
        for (int i = 0; i < _count; i++)
        {
            _set.Add(_inline[i]);
        }

        return _set.Add(hash);
    }

    private static ulong HashName(ref Utf8JsonReader reader)
    {
        // Readers here always run over one contiguous buffer (never a sequence).
        if (!reader.ValueIsEscaped)
        {
            return Hash64(reader.ValueSpan);
        }

        // Compare names as their unescaped text: "\u0069ss" and "iss" are the same member.
        byte[]? rented = null;
        int max = reader.ValueSpan.Length;
        Span<byte> buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int written = reader.CopyString(buffer);
            return Hash64(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ulong Hash64(ReadOnlySpan<byte> name)
    {
        // Two differently salted runs of the runtime's randomly seeded hash make 64 bits.
        var high = default(HashCode);
        high.Add(0x5bd1e995);
        high.AddBytes(name);
        var low = default(HashCode);
        low.Add(0x27d4eb2f);
        low.AddBytes(name);
        return ((ulong)(uint)high.ToHashCode() << 32) | (uint)low.ToHashCode();
    }

    [InlineArray(InlineCapacity)]
    private struct InlineHashes
    {
        private ulong _element;
    }
}
