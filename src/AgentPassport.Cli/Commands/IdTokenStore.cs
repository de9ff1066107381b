namespace AgentPassport.Cli;

/// <summary>The stored ID token: <c>id_token</c> in the data directory, created 0600 in a 0700 directory.</summary>
internal static class IdTokenStore
{
    public static string Save(string idToken)
    {
        DataDirectory.Ensure();

        // A newly stored ID token ends any earlier development trust; login --mock writes its keys again after this.
        DevelopmentProviderStore.Delete();
        string path = DataDirectory.IdTokenPath;
        OwnerOnlyFiles.WriteAtomic(path, System.Text.Encoding.UTF8.GetBytes(idToken + "\n"), OwnerOnlyFiles.PrivateFileMode);
        return path;
    }

    public static string? Load()
    {
        string path = DataDirectory.IdTokenPath;
        if (!File.Exists(path))
        {
            return null;
        }

        string token = File.ReadAllText(path).Trim();
        return token.Length > 0 ? token : null;
    }
}
