namespace AgentPassport;

/// <summary>
/// An exclusive, cross-process lock on a key directory (an OS file lock on <c>.lock</c>), held while keys are created
/// or rotated so two processes never generate competing keys. Readers do not take it: writes are atomic renames.
/// </summary>
internal sealed class KeyDirectoryLock : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FileStream _stream;

    private KeyDirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>Waits (up to 10 s) for the lock on <paramref name="directory"/>.</summary>
    /// <exception cref="IOException">Another process held the lock for the whole timeout.</exception>
    public static KeyDirectoryLock Acquire(string directory) => AcquireFile(Path.Combine(directory, ".lock"));

    /// <summary>Waits (up to 10 s) for the lock file <paramref name="path"/> (created owner-only when missing).</summary>
    /// <exception cref="IOException">Another process held the lock for the whole timeout.</exception>
    public static KeyDirectoryLock AcquireFile(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFiles.PrivateFileMode;
        }

        // A monotonic tick count bounds the wait; no wall clock is read.
        long deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
        while (true)
        {
            try
            {
                return new KeyDirectoryLock(new FileStream(path, options));
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(25);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
