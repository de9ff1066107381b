namespace AgentPassport.Cli;

/// <summary>The local issuer: its URL (<c>AGENT_PASSPORT_ISSUER</c>) and its file key store in the data directory.</summary>
internal static class LocalIssuer
{
    /// <summary>The algorithms the local issuer's own keys may use; each key is bound to one of them.</summary>
    public static readonly IReadOnlySet<string> KeyAlgorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        PassportAlgorithms.ES256, PassportAlgorithms.RS256, PassportAlgorithms.PS256,
    };

    /// <summary>Opens the key store, creating the data directory and a first key when missing.</summary>
    public static FilePassportKeyStore OpenOrCreateKeys()
    {
        DataDirectory.Ensure();
        return new FilePassportKeyStore(DataDirectory.KeysPath);
    }

    /// <summary>Opens the key store only if a key exists; never creates one (verifying must not mint keys).</summary>
    public static FilePassportKeyStore? OpenExistingKeys() =>
        FilePassportKeyStore.Exists(DataDirectory.KeysPath) ? new FilePassportKeyStore(DataDirectory.KeysPath) : null;

    public static PassportIssuer Create(CliEnvironment env, IPassportKeyStore keys) =>
        new(new PassportIssuerOptions { IssuerUrl = env.IssuerUrl, KeyStore = keys });
}
