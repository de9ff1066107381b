namespace AgentPassport.Tests.Corpus;

/// <summary>
/// The holder keys of the holder-binding cases (spec v1.1 §11): Carol's (the leaf's <c>cnf</c>), Bob's and Alice's (the
/// parents' in a bound chain) and a thief's. TEST-ONLY private JWKs, committed under Corpus/keys so the thumbprints in
/// the committed tokens stay the same; they protect nothing.
/// </summary>
internal sealed class CorpusHolderKeys : IDisposable
{
    public static readonly string[] Names = ["alice", "bob", "carol", "thief"];

    private readonly Dictionary<string, PassportHolderKey> _keys;

    private CorpusHolderKeys(Dictionary<string, PassportHolderKey> keys) => _keys = keys;

    public PassportHolderKey Alice => _keys["alice"];

    public PassportHolderKey Bob => _keys["bob"];

    /// <summary>Gets the key the single-token leaf and the chain's leaf are bound to.</summary>
    public PassportHolderKey Carol => _keys["carol"];

    /// <summary>Gets a key no token is bound to.</summary>
    public PassportHolderKey Thief => _keys["thief"];

    public static string File(string name) => $"keys/holder-es256-{name}.TEST-ONLY.jwk";

    public PassportHolderKey this[string name] => _keys[name];

    /// <summary>Loads the committed keys, creating missing ones when <paramref name="createMissing"/> is set.</summary>
    public static CorpusHolderKeys Load(string corpusDir, bool createMissing)
    {
        var keys = new Dictionary<string, PassportHolderKey>(StringComparer.Ordinal);
        foreach (string name in Names)
        {
            string path = Path.Combine(corpusDir, File(name));
            if (!System.IO.File.Exists(path))
            {
                if (!createMissing)
                {
                    throw new FileNotFoundException("Corpus holder key missing; regenerate with AGENT_PASSPORT_REGENERATE_CORPUS=1.", path);
                }

                using var fresh = PassportHolderKey.Generate();
                System.IO.File.WriteAllText(path, fresh.ToPrivateJwkJson() + "\n");
            }

            keys[name] = PassportHolderKey.FromJwk(System.IO.File.ReadAllText(path));
        }

        return new CorpusHolderKeys(keys);
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}
