using System.Diagnostics.CodeAnalysis;

namespace AgentPassport;

/// <summary>
/// Revocations in one owner-only JSON file, shared by every process on the machine (the CLI's embedded default). A
/// write takes an exclusive lock file, re-reads the file, adds the entry, drops expired ones and atomically replaces the
/// file, so concurrent writers never lose each other's entries. Reads use the last loaded view and look at the file
/// again at most every <see cref="ReloadInterval"/> (by the injected clock), reloading it when it changed.
/// </summary>
/// <remarks>
/// Fail closed: a file that cannot be read or parsed, or that group or other users may access (anyone who can write it
/// could empty it), makes the store unavailable until it is fixed. A missing file is an empty list.
/// </remarks>
public sealed class FileRevocationStore : IRevocationStore
{
    /// <summary>The default for <see cref="ReloadInterval"/>.</summary>
    public static readonly TimeSpan DefaultReloadInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private View _view = new(RevocationSet.Empty, null, default, -1);
    private long _nextCheckTicks = long.MinValue;

    /// <summary>Initializes a store over <paramref name="path"/> (its directory is created owner-only by the first write).</summary>
    /// <param name="path">The revocation file.</param>
    /// <param name="timeProvider">The clock for reload checks and expiry; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="reloadInterval">How often, at most, the file is looked at again; <see cref="DefaultReloadInterval"/> when null.</param>
    public FileRevocationStore(string path, TimeProvider? timeProvider = null, TimeSpan? reloadInterval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        ReloadInterval = reloadInterval ?? DefaultReloadInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(ReloadInterval, TimeSpan.Zero, nameof(reloadInterval));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the revocation file's full path.</summary>
    public string Path { get; }

    /// <summary>Gets how often, at most, the file is looked at again: the bound on how stale this process's view can be.</summary>
    public TimeSpan ReloadInterval { get; }

    /// <inheritdoc />
    public bool TryGetCurrent([NotNullWhen(true)] out RevocationSet? revocations, [NotNullWhen(false)] out string? unavailableReason)
    {
        long now = _time.GetUtcNow().UtcTicks;
        if (now >= Volatile.Read(ref _nextCheckTicks) && _gate.TryEnter())
        {
            try
            {
                Volatile.Write(ref _view, Load(Volatile.Read(ref _view)));
                Volatile.Write(ref _nextCheckTicks, now + ReloadInterval.Ticks);
            }
            finally
            {
                _gate.Exit();
            }
        }

        var view = Volatile.Read(ref _view);
        revocations = view.Error is null ? view.Set : null;
        unavailableReason = view.Error;
        return view.Error is null;
    }

    /// <inheritdoc />
    public ValueTask RevokeAsync(RevocationEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            OwnerOnlyFiles.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using (KeyDirectoryLock.AcquireFile(Path + ".lock"))
            {
                // Re-read under the lock: another process may have written since our last reload.
                var view = Load(new View(RevocationSet.Empty, null, default, -1));
                if (view.Error is not null)
                {
                    throw Unavailable(view.Error, null);
                }

                var updated = view.Set.With(entry, _time.GetUtcNow());
                OwnerOnlyFiles.WriteAtomic(Path, RevocationJson.WriteDocument(updated.Entries), OwnerOnlyFiles.PrivateFileMode);
                lock (_gate)
                {
                    Volatile.Write(ref _view, Load(view));
                }
            }
        }
        catch (IOException ex)
        {
            throw Unavailable($"the revocation file could not be written: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Unavailable($"the revocation file could not be written: {ex.Message}", ex);
        }

        return ValueTask.CompletedTask;
    }

    private static AgentPassportException Unavailable(string reason, Exception? inner) =>
        AgentPassportException.Create(PassportErrorKind.RevocationUnavailable, reason, inner);

    /// <summary>Reloads when the file's write time or length changed since <paramref name="previous"/>; returns the view to use.</summary>
    private View Load(View previous)
    {
        try
        {
            var info = new FileInfo(Path);
            if (!info.Exists)
            {
                return new View(RevocationSet.Empty, null, default, -1);
            }

            if (OwnerOnlyFiles.IsSharedWithOthers(Path))
            {
                return previous with { Error = $"the revocation file '{Path}' is accessible to other users; make it owner-only (chmod 600)", Length = -2 };
            }

            if (previous.Error is null && info.LastWriteTimeUtc == previous.WriteTime && info.Length == previous.Length)
            {
                return previous;
            }

            var entries = RevocationJson.ReadDocument(File.ReadAllBytes(Path));
            return new View(RevocationSet.From(entries, _time.GetUtcNow()), null, info.LastWriteTimeUtc, info.Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // Fail closed: an unreadable list must not read as "nothing is revoked".
            return previous with { Error = $"the revocation file '{Path}' could not be read: {ex.Message}", Length = -2 };
        }
    }

    /// <summary>A loaded file: its entries (or why it could not be used) and what identified its version.</summary>
    private sealed record View(RevocationSet Set, string? Error, DateTime WriteTime, long Length);
}
