using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace AgentPassport.Jose;

/// <summary>
/// The member names seen in one JSON object, to refuse duplicates, without allocating a string per name: each
/// (unescaped) name is reduced to a 64-bit hash with a process-random seed. Up to <see cref="InlineCapacity"/> names
/// live inline on the stack; larger objects switch to an open-addressing table.
/// </summary>
/// <remarks>
/// Equal names always give equal hashes, so a duplicate is never missed. Two different names sharing a 64-bit hash
/// (odds about 2⁻⁶⁴ per pair, and the seed is unknown to a sender) would only make a token be refused, never accepted.
/// </remarks>
internal struct MemberNameSet
{
    private const int InlineCapacity = 24;
    private const int StackLimit = 256;

    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64();

    private InlineHashes _inline;
    private int _count;
    private ulong[]? _table;

    /// <summary>Records the property name the reader is on.</summary>
    /// <returns>False when the name was already present.</returns>
    public bool Add(ref Utf8JsonReader reader)
    {
        ulong hash = HashName(ref reader);
        if (_table is not null)
        {
            return AddToTable(hash);
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

        _table = new ulong[InlineCapacity * 4];
        int inline = _count;
        _count = 0;
        for (int i = 0; i < inline; i++)
        {
            AddToTable(_inline[i]);
        }

        return AddToTable(hash);
    }

    /// <summary>Open addressing with linear probing over already well-mixed hashes; 0 marks an empty slot.</summary>
    private bool AddToTable(ulong hash)
    {
        if (hash == 0)
        {
            hash = 1; // at worst merges two names into a false duplicate: a refusal, never an acceptance
        }

        if ((_count + 1) * 2 > _table!.Length)
        {
            var old = _table;
            _table = new ulong[old.Length * 2];
            _count = 0;
            foreach (ulong existing in old)
            {
                if (existing != 0)
                {
                    AddToTable(existing);
                }
            }
        }

        int mask = _table.Length - 1;
        for (int i = (int)(hash ^ (hash >> 32)) & mask; ; i = (i + 1) & mask)
        {
            ulong slot = _table[i];
            if (slot == 0)
            {
                _table[i] = hash;
                _count++;
                return true;
            }

            if (slot == hash)
            {
                return false;
            }
        }
    }

    private static ulong HashName(ref Utf8JsonReader reader)
    {
        // Readers here always run over one contiguous buffer (never a sequence).
        if (reader.ValueIsEscaped)
        {
            return HashEscapedName(ref reader);
        }

        // A name must be valid UTF-8, as GetString would require: refused the same way (InvalidOperationException).
        var name = reader.ValueSpan;
        if (!Ascii.IsValid(name) && !Utf8.IsValid(name))
        {
            throw new InvalidOperationException("A JSON member name is not valid UTF-8.");
        }

        return Hash64(name);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong HashEscapedName(ref Utf8JsonReader reader)
    {
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
        // Seeded multiply-xorshift over 8-byte words; the last word carries the remaining (< 8) bytes and the length
        // in its top byte. Names shorter than 8 bytes map one-to-one (the mix is a bijection); other collisions
        // depend on the unknown seed.
        ulong hash = Seed;
        ulong length = (ulong)name.Length << 56;
        while (name.Length >= 8)
        {
            hash = Mix(hash ^ BinaryPrimitives.ReadUInt64LittleEndian(name));
            name = name[8..];
        }

        // The remaining 0..7 bytes, little-endian, in one copy.
        ulong tail = 0;
        name.CopyTo(MemoryMarshal.AsBytes(new Span<ulong>(ref tail)));
        if (!BitConverter.IsLittleEndian)
        {
            tail = BinaryPrimitives.ReverseEndianness(tail);
        }

        return Mix(hash ^ tail ^ length);
    }

    private static ulong Mix(ulong x)
    {
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 31;
        x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 29);
    }

    [InlineArray(InlineCapacity)]
    private struct InlineHashes
    {
        private ulong _element;
    }
}
