using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// The usable signing keys of a provider JWKS, looked up by exact (<c>kid</c>, <c>alg</c>). Keys are kept only when
/// <c>use</c> is absent or <c>sig</c>, they have a <c>kid</c>, their <c>alg</c> (if any) is allowed, and their type fits.
/// A JWK without <c>alg</c> is bound to each allowed algorithm of its key type. A (kid, alg) pair that occurs twice
/// is ambiguous and dropped, so a lookup never has to try several keys.
/// </summary>
internal sealed class OidcKeySet
{
    private readonly Dictionary<(string Kid, string Alg), PassportVerificationKey> _keys;

    private OidcKeySet(Dictionary<(string Kid, string Alg), PassportVerificationKey> keys, DateTimeOffset fetchedAt)
    {
        _keys = keys;
        FetchedAt = fetchedAt;
    }

    public DateTimeOffset FetchedAt { get; }

    public int Count => _keys.Count;

    public IEnumerable<PassportVerificationKey> Keys => _keys.Values;

    public PassportVerificationKey? Find(string kid, string alg) => _keys.GetValueOrDefault((kid, alg));

    /// <summary>Reads a JWKS document; returns null when it has no <c>keys</c> array.</summary>
    public static OidcKeySet? Read(JsonElement root, IReadOnlyList<string> allowedAlgorithms, DateTimeOffset fetchedAt)
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
                || !TryGetString(jwk, "kid", out var kid) || string.IsNullOrEmpty(kid)
                || (jwk.TryGetProperty("use", out var use) && (use.ValueKind != JsonValueKind.String || use.GetString() != "sig")))
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

                if (!result.TryAdd((kid!, a), key))
                {
                    ambiguous.Add((kid!, a));
                }
            }
        }

        foreach (var pair in ambiguous)
        {
            result.Remove(pair);
        }

        return new OidcKeySet(result, fetchedAt);
    }

    private static bool TryGetString(JsonElement obj, string name, out string? value)
    {
        value = obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return value is not null;
    }
}
