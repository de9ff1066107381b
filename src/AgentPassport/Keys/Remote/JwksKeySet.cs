using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// The usable signing keys of a JWKS, looked up by exact (<c>kid</c>, <c>alg</c>), or by <c>kid</c> alone when that is
/// unambiguous. Keys are kept only when <c>use</c> is absent or <c>sig</c>, <c>key_ops</c> is absent or includes
/// <c>verify</c> (RFC 7517 §4.3), they have a <c>kid</c> (or, for a Passport issuer's JWKS, a <c>kid</c> equal to their
/// RFC 7638 thumbprint), their <c>alg</c> (if any) is allowed, and their type fits. A JWK without <c>alg</c> is bound to
/// each allowed algorithm of its key type. A (kid, alg) pair that occurs twice is ambiguous and dropped, so a lookup
/// never has to try several keys.
/// </summary>
internal sealed class JwksKeySet
{
    private readonly Dictionary<(string Kid, string Alg), PassportVerificationKey> _keys;
    private readonly Dictionary<string, PassportVerificationKey> _byKid;

    private JwksKeySet(Dictionary<(string Kid, string Alg), PassportVerificationKey> keys, DateTimeOffset fetchedAt)
    {
        _keys = keys;
        FetchedAt = fetchedAt;

        // A kid bound to one algorithm only; a kid bound to several (an RSA JWK without alg) is ambiguous without the header alg.
        _byKid = keys.GroupBy(p => p.Key.Kid, StringComparer.Ordinal)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.Single().Value, StringComparer.Ordinal);
    }

    public DateTimeOffset FetchedAt { get; }

    public int Count => _keys.Count;

    public IEnumerable<PassportVerificationKey> Keys => _keys.Values;

    public PassportVerificationKey? Find(string kid, string alg) => _keys.GetValueOrDefault((kid, alg));

    /// <summary>Finds the key of <paramref name="kid"/> when exactly one algorithm is bound to it.</summary>
    public PassportVerificationKey? Find(string kid) => _byKid.GetValueOrDefault(kid);

    /// <summary>Reads a JWKS document; returns null when it has no <c>keys</c> array.</summary>
    public static JwksKeySet? Read(JsonElement root, IReadOnlyList<string> allowedAlgorithms, DateTimeOffset fetchedAt, bool requireThumbprintKid = false)
    {
        if (!root.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var result = new Dictionary<(string, string), PassportVerificationKey>();
        var ambiguous = new HashSet<(string, string)>();
        foreach (var jwk in keys.EnumerateArray())
        {
            if (jwk.ValueKind != JsonValueKind.Object
                || (jwk.TryGetProperty("use", out var use) && (use.ValueKind != JsonValueKind.String || use.GetString() != "sig"))
                || (jwk.TryGetProperty("key_ops", out var ops) && !Jwks.AllowsVerify(ops)))
            {
                continue;
            }

            string? kid = null;
            if (jwk.TryGetProperty("kid", out var kidValue)
                && (kidValue.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(kid = kidValue.GetString())))
            {
                continue;
            }

            if (kid is null && !requireThumbprintKid)
            {
                continue;
            }

            string? kty = TryGetString(jwk, "kty", out var k) ? k : null;
            IEnumerable<string> algs = TryGetString(jwk, "alg", out var alg)
                ? (allowedAlgorithms.Contains(alg!) ? [alg!] : [])
                : allowedAlgorithms.Where(a => kty == (a == PassportAlgorithms.ES256 ? "EC" : "RSA"));
            foreach (var a in algs)
            {
                PassportVerificationKey key;
                try
                {
                    key = PassportVerificationKey.FromJwk(jwk, a);
                }
                catch (FormatException)
                {
                    continue;
                }

                // A Passport kid is the key's thumbprint (spec §2): any other kid is a lie about the key, as in Jwks.Import.
                if (requireThumbprintKid && kid is not null && !string.Equals(kid, key.KeyId, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!result.TryAdd((kid ?? key.KeyId, a), key))
                {
                    ambiguous.Add((kid ?? key.KeyId, a));
                }
            }
        }

        foreach (var pair in ambiguous)
        {
            result.Remove(pair);
        }

        return new JwksKeySet(result, fetchedAt);
    }

    private static bool TryGetString(JsonElement obj, string name, out string? value)
    {
        value = obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return value is not null;
    }
}
