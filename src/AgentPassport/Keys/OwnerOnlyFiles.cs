namespace AgentPassport;

/// <summary>
/// Creates owner-only directories and replaces files atomically: the content goes to a temporary file created with
/// its final mode (never written then chmod-ed), is flushed to disk, then renamed over the target, so a reader sees
/// the old file or the new one, never half of one. Public so tools (the <c>agent-passport</c> CLI) write their secrets
/// with the same code as <see cref="FilePassportKeyStore"/>.
/// </summary>
public static class OwnerOnlyFiles
{
    internal const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    /// <summary>The mode of a secret file: read and write by the owner only (0600).</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    internal const UnixFileMode PublicFileMode = PrivateFileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Creates <paramref name="path"/> with mode 0700 (missing parents get the default mode); an existing directory is left as it is.</summary>
    /// <param name="path">The directory.</param>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="content"/>, created with <paramref name="mode"/>.</summary>
    /// <param name="path">The file; its directory must exist.</param>
    /// <param name="content">The bytes to write.</param>
    /// <param name="mode">The Unix mode the file is created with (ignored on Windows), for example <see cref="PrivateFileMode"/>.</param>
    public static void WriteAtomic(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Gets a value indicating whether group or other users may access <paramref name="path"/>.</summary>
    internal static bool IsSharedWithOthers(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & others) != 0;
    }

    /// <summary>Gets a value indicating whether group or other users may create, rename or delete entries in <paramref name="directory"/>.</summary>
    internal static bool IsWritableByOthers(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        return (File.GetUnixFileMode(directory) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stale temporary file is harmless and owner-only.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
