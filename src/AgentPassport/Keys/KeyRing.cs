using System.Collections.Frozen;

namespace AgentPassport;

/// <summary>An immutable kid → key map (exact lookup only), replaced whole on rotation so readers never lock.</summary>
internal sealed class KeyRing
{
    private readonly FrozenDictionary<string, PassportVerificationKey> _byId;

    public KeyRing(IReadOnlyList<PassportVerificationKey> keys)
    {
        Keys = keys;
        var map = new Dictionary<string, PassportVerificationKey>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            map.TryAdd(key.KeyId, key);
        }

        _byId = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Gets the keys, the current one first.</summary>
    public IReadOnlyList<PassportVerificationKey> Keys { get; }

    public PassportVerificationKey? Find(string keyId) => _byId.GetValueOrDefault(keyId);

    /// <summary>Returns a ring with <paramref name="current"/> first and the existing keys after it.</summary>
    public KeyRing With(PassportVerificationKey current) => new([current, .. Keys]);
}
