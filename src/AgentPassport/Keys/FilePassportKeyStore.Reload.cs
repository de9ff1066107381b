namespace AgentPassport;

/// <content>Reloading: a lookup re-reads a changed JWKS file at most once per interval (by the injected clock), keeping trusted keys on failure.</content>
public sealed partial class FilePassportKeyStore
{
    /// <summary>True for the one caller that finds the interval elapsed (by the injected clock); it schedules the next check.</summary>
    private bool CheckDue()
    {
        long now = _time.GetUtcNow().UtcTicks;
        long due = Volatile.Read(ref _nextCheckTicks);
        return now >= due && Interlocked.CompareExchange(ref _nextCheckTicks, now + ReloadInterval.Ticks, due) == due;
    }

    private void ReloadKeepingKeysOnFailure()
    {
        lock (_gate)
        {
            try
            {
                Reload();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // A directory that cannot be read now keeps the keys already trusted; an unknown kid stays unknown.
            }
        }
    }

    private bool JwksChangedOnDisk()
    {
        try
        {
            return JwksWriteTicks() != Volatile.Read(ref _jwksWrittenAt);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The JWKS file's change stamp (0 when absent); a rename by another process changes it.</summary>
    /// <remarks>The length is mixed in, so a rewrite within one timestamp tick (a coarse file system clock) is still seen.</remarks>
    private long JwksWriteTicks()
    {
        var info = new FileInfo(_jwksPath);
        return info.Exists ? unchecked((info.LastWriteTimeUtc.Ticks * 31) + info.Length) : 0;
    }

    private void Reload()
    {
        var loaded = Load();
        if (loaded is null)
        {
            return;
        }

        var (current, ring, writtenAt, pending) = loaded.Value;
        if (current.KeyId == _current.KeyId)
        {
            current.Dispose();
        }
        else
        {
            _superseded.Add(_current);
            Volatile.Write(ref _current, current);
        }

        if (Volatile.Read(ref _pending) is { } previous)
        {
            _superseded.Add(previous.Key);
        }

        Volatile.Write(ref _ring, ring);
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _jwksWrittenAt, writtenAt);
    }

    /// <summary>Makes the scheduled key current in this process once its time has come (the files already say so).</summary>
    private void Activate(PendingKey pending)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(Volatile.Read(ref _pending), pending))
            {
                return;
            }

            var ring = Volatile.Read(ref _ring);
            Supersede(pending.Key, new KeyRing([pending.Key.PublicKey, .. ring.Keys.Where(k => k.KeyId != pending.Key.KeyId)]));
        }
    }

    /// <summary>Makes <paramref name="next"/> current with <paramref name="ring"/> and drops any pending key from this process's view.</summary>
    private void Supersede(PassportSigningKey next, KeyRing ring)
    {
        _superseded.Add(_current);
        if (Volatile.Read(ref _pending) is { } pending && !ReferenceEquals(pending.Key, next))
        {
            _superseded.Add(pending.Key);
        }

        Volatile.Write(ref _ring, ring);
        Volatile.Write(ref _current, next);
        Volatile.Write(ref _pending, null);
        Volatile.Write(ref _jwksWrittenAt, JwksWriteTicks());
    }

    private sealed record PendingKey(PassportSigningKey Key, DateTimeOffset ActivatesAt);
}
