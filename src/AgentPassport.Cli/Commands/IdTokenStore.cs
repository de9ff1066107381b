namespace AgentPassport.Cli;

/// <summary>
/// The stored ID token: <c>id_token</c> in the data directory, created 0600 in a 0700 directory (or migrated once from
/// the Python reference CLI's folder, <see cref="ReferenceIdTokenMigration"/>).
/// </summary>
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

    /// <summary>Loads the stored ID token, first migrating the Python reference CLI's once (reported on stderr).</summary>
    public static string? Load()
    {
        if (ReferenceIdTokenMigration.MigrateOnce() is { } source)
        {
            Console.Error.WriteLine(ReferenceIdTokenMigration.Describe(source));
        }

        string path = DataDirectory.IdTokenPath;
        if (!File.Exists(path))
        {
            return null;
        }

        string token = File.ReadAllText(path).Trim();
        return token.Length > 0 ? token : null;
    }
}
