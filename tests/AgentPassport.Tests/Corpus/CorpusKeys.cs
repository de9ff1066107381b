namespace AgentPassport.Tests.Corpus;

/// <summary>
/// The corpus keys. TEST-ONLY private keys are committed as PKCS#8 DER under Corpus/keys so the corpus (its kids and
/// JWKS) is reproducible; they protect nothing and must never be used outside these tests.
/// </summary>
internal sealed class CorpusKeys : IDisposable
{
    public const string CurrentFile = "keys/corpus-es256-current.TEST-ONLY.pk8";
    public const string PreviousFile = "keys/corpus-es256-previous.TEST-ONLY.pk8";
    public const string AttackerFile = "keys/attacker-es256-untrusted.TEST-ONLY.pk8";

    private CorpusKeys(PassportSigningKey current, PassportSigningKey previous, PassportSigningKey attacker, CorpusHolderKeys holders)
    {
        Current = current;
        Previous = previous;
        Attacker = attacker;
        Holders = holders;
    }

    /// <summary>Gets the holder keys of the holder-binding cases.</summary>
    public CorpusHolderKeys Holders { get; }

    /// <summary>Gets the trusted issuer key most cases are signed with.</summary>
    public PassportSigningKey Current { get; }

    /// <summary>Gets a second trusted key (a rotated-out key still in the JWKS).</summary>
    public PassportSigningKey Previous { get; }

    /// <summary>Gets a key that is not in the JWKS.</summary>
    public PassportSigningKey Attacker { get; }

    /// <summary>Gets the JWKS the verifier trusts: the current and the previous key.</summary>
    public string Jwks => AgentPassport.Jwks.Export([Current.PublicKey, Previous.PublicKey]);

    /// <summary>Loads the committed keys from <paramref name="corpusDir"/>, creating them first when <paramref name="createMissing"/> is set.</summary>
    public static CorpusKeys Load(string corpusDir, bool createMissing)
    {
        return new CorpusKeys(LoadOne(CurrentFile), LoadOne(PreviousFile), LoadOne(AttackerFile), CorpusHolderKeys.Load(corpusDir, createMissing));

        PassportSigningKey LoadOne(string relative)
        {
            string path = Path.Combine(corpusDir, relative);
            if (!File.Exists(path))
            {
                if (!createMissing)
                {
                    throw new FileNotFoundException("Corpus key missing; regenerate with AGENT_PASSPORT_REGENERATE_CORPUS=1.", path);
                }

                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var fresh = PassportSigningKey.Generate();
                File.WriteAllBytes(path, fresh.ExportPkcs8());
            }

            return PassportSigningKey.ImportPkcs8(File.ReadAllBytes(path), PassportAlgorithms.ES256);
        }
    }

    public void Dispose()
    {
        Current.Dispose();
        Previous.Dispose();
        Attacker.Dispose();
        Holders.Dispose();
    }
}
