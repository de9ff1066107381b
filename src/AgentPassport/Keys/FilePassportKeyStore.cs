namespace AgentPassport;

/// <summary>
/// A key store in a directory, shared by every process that opens the same directory: the current private key as
/// PKCS#8 PEM (<see cref="PrivateKeyFileName"/>, mode 0600) and the public keys Passports verify with as a JWKS
/// (<see cref="JwksFileName"/>, current key first). Thread-safe.
/// </summary>
/// <remarks>
/// Files are owner-only (directory 0700, private key 0600 from creation) and replaced atomically under a lock file; a key
/// file or directory that other users can read or write is refused. Rotation publishes the new public key before it signs
/// and keeps up to <see cref="MaxRetiredKeys"/> previous ones: size it above the rotations within the longest Passport
/// lifetime (24 h). A key removed from the JWKS (<see cref="Remove"/>) stops verifying within <see cref="ReloadInterval"/>.
/// Why: docs/security.md §6.
/// </remarks>
public sealed partial class FilePassportKeyStore : IScheduledPassportKeyStore, IDisposable
{
    /// <summary>The file name of the current private key (PKCS#8 PEM, mode 0600).</summary>
    public const string PrivateKeyFileName = "signing-key.pem";

    /// <summary>The file name of the public keys (JWKS, current key first).</summary>
    public const string JwksFileName = "jwks.json";

    /// <summary>The file name of the scheduled next private key (PKCS#8 PEM, mode 0600), published in the JWKS before it signs.</summary>
    public const string NextPrivateKeyFileName = "next-signing-key.pem";

    /// <summary>The file name of the next key's activation time (Unix milliseconds, text).</summary>
    public const string NextActivationFileName = "next-signing-key.activates";

    /// <summary>The number of previous public keys kept for verification after rotations.</summary>
    public const int MaxRetiredKeys = 32;

    /// <summary>How often, at most, a lookup checks the JWKS file for changes (a removed key stops verifying within this time).</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly string _algorithm;
    private readonly string _privateKeyPath;
    private readonly string _jwksPath;
    private readonly string _nextPrivateKeyPath;
    private readonly string _nextActivationPath;
    private readonly List<PassportSigningKey> _superseded = [];
    private PassportSigningKey _current;
    private KeyRing _ring;
    private PendingKey? _pending;
    private long _jwksWrittenAt;
    private long _nextCheckTicks;

    /// <summary>Opens the store in <paramref name="directory"/>, creating the directory and a first key if there are none.</summary>
    /// <param name="directory">The key directory; created with mode 0700 when missing.</param>
    /// <param name="algorithm">The algorithm of keys this store generates: ES256 (default), RS256 or PS256. An existing key keeps its own.</param>
    /// <param name="timeProvider">The clock that paces the checks for a changed JWKS file; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="InvalidOperationException">The private key file is readable, or the directory writable, by other users; or a key file is corrupt.</exception>
    /// <exception cref="IOException">The directory cannot be read or written, or another process held the lock for more than 10 s.</exception>
    public FilePassportKeyStore(string directory, string algorithm = PassportAlgorithms.ES256, TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!PassportAlgorithms.IsSupported(algorithm))
        {
            throw new ArgumentException($"The algorithm '{algorithm}' is not supported for signing (use ES256, RS256 or PS256).", nameof(algorithm));
        }

        Directory = Path.GetFullPath(directory);
        _algorithm = algorithm;
        _privateKeyPath = Path.Combine(Directory, PrivateKeyFileName);
        _jwksPath = Path.Combine(Directory, JwksFileName);
        _nextPrivateKeyPath = Path.Combine(Directory, NextPrivateKeyFileName);
        _nextActivationPath = Path.Combine(Directory, NextActivationFileName);
        OwnerOnlyFiles.CreateDirectory(Directory);
        if (OwnerOnlyFiles.IsWritableByOthers(Directory))
        {
            // Others could swap the key files under us.
            throw new InvalidOperationException($"The key directory '{Directory}' is writable by other users; it must be mode 0700.");
        }

        var loaded = Load();
        if (loaded is null)
        {
            using (KeyDirectoryLock.Acquire(Directory))
            {
                // Another process may have created the key while this one waited for the lock.
                loaded = Load() ?? CreateFirstKey();
            }
        }

        (_current, _ring, _jwksWrittenAt, _pending) = loaded.Value;
        _nextCheckTicks = (_time.GetUtcNow() + ReloadInterval).UtcTicks;
    }

    /// <summary>Gets the full path of the key directory.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public PassportSigningKey CurrentSigningKey
    {
        get
        {
            // A scheduled key signs from its activation time on (by the injected clock); the files need no rewrite for that.
            if (Volatile.Read(ref _pending) is { } pending && _time.GetUtcNow() >= pending.ActivatesAt)
            {
                Activate(pending);
            }

            return Volatile.Read(ref _current);
        }
    }

    /// <inheritdoc />
    public DateTimeOffset? PendingActivation => Volatile.Read(ref _pending)?.ActivatesAt;

    /// <inheritdoc />
    public IReadOnlyList<PassportVerificationKey> VerificationKeys => Volatile.Read(ref _ring).Keys;

    /// <summary>Gets a value indicating whether <paramref name="directory"/> already holds a private key, without creating anything.</summary>
    /// <param name="directory">The key directory.</param>
    /// <returns><see langword="true"/> when the private key file exists.</returns>
    public static bool Exists(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return File.Exists(Path.Combine(directory, PrivateKeyFileName));
    }

    /// <inheritdoc />
    public ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        // A removed key stops verifying: at most once per interval, a changed JWKS file is read again.
        if (CheckDue() && JwksChangedOnDisk())
        {
            ReloadKeepingKeysOnFailure();
        }

        var key = Volatile.Read(ref _ring).Find(keyId);
        if (key is null && JwksChangedOnDisk())
        {
            // Another process rotated: its new key is trusted at once, not only after the interval.
            ReloadKeepingKeysOnFailure();
            key = Volatile.Read(ref _ring).Find(keyId);
        }

        return new(key);
    }

    /// <summary>
    /// Stops trusting the public key <paramref name="keyId"/> (for example a compromised one): it is removed from the JWKS
    /// file, so this store and every other store on the directory stop verifying with it (others within <see cref="ReloadInterval"/>).
    /// </summary>
    /// <param name="keyId">The <c>kid</c> of a retired key.</param>
    /// <returns><see langword="true"/> when the key was removed; <see langword="false"/> when no trusted key has that id.</returns>
    /// <exception cref="InvalidOperationException">The key is the current signing key: rotate first, then remove it.</exception>
    /// <exception cref="IOException">The JWKS could not be written, or another process held the lock for more than 10 s.</exception>
    public bool Remove(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        lock (_gate)
        {
            using (KeyDirectoryLock.Acquire(Directory))
            {
                Reload();
                if (string.Equals(keyId, CurrentSigningKey.KeyId, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The key {keyId} is the current signing key; rotate first (keys rotate), then remove it.");
                }

                if (string.Equals(keyId, Volatile.Read(ref _pending)?.Key.KeyId, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The key {keyId} is the next signing key (scheduled); rotate immediately (keys rotate --now) to replace it, then remove it.");
                }

                var ring = Volatile.Read(ref _ring);
                if (ring.Find(keyId) is null)
                {
                    return false;
                }

                var kept = new KeyRing([.. ring.Keys.Where(k => !string.Equals(k.KeyId, keyId, StringComparison.Ordinal))]);
                WriteJwks(kept.Keys);
                Volatile.Write(ref _ring, kept);
                Volatile.Write(ref _jwksWrittenAt, JwksWriteTicks());
                return true;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>An immediate rotation (for a compromised key): a scheduled next key is dropped from signing but stays published.</remarks>
    /// <exception cref="IOException">The new key could not be written, or another process held the lock for more than 10 s.</exception>
    public PassportSigningKey Rotate()
    {
        lock (_gate)
        {
            using (KeyDirectoryLock.Acquire(Directory))
            {
                // Rotate from what is on disk now: another process may have rotated since this store loaded.
                Reload();
                var next = PassportSigningKey.Generate(CurrentSigningKey.Algorithm);
                var retained = VerificationKeys.Take(MaxRetiredKeys).ToList();
                var ring = new KeyRing([next.PublicKey, .. retained]);

                // Publish the public key before the private key can sign anything.
                WriteJwks(ring.Keys);
                WritePrivateKey(_privateKeyPath, next);
                DeletePending();
                Supersede(next, ring);
                return next;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="IOException">The new key could not be written, or another process held the lock for more than 10 s.</exception>
    public PassportSigningKey ScheduleRotation(TimeSpan activationDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(activationDelay, TimeSpan.Zero);
        lock (_gate)
        {
            using (KeyDirectoryLock.Acquire(Directory))
            {
                Reload();
                bool pendingOnDisk = Volatile.Read(ref _pending) is not null;
                var current = CurrentSigningKey; // activates a pending key whose time has come
                if (Volatile.Read(ref _pending) is { } pending)
                {
                    throw new InvalidOperationException($"A key rotation is already pending: {pending.Key.KeyId} signs from {pending.ActivatesAt:O}. Wait for it, or rotate immediately (keys rotate --now) if a key is compromised.");
                }

                if (pendingOnDisk)
                {
                    // The activated next key becomes the file's current key before a newer one is scheduled.
                    WritePrivateKey(_privateKeyPath, current);
                    DeletePending();
                }

                var next = PassportSigningKey.Generate(current.Algorithm);
                var others = VerificationKeys.Where(k => k.KeyId != current.KeyId).Take(MaxRetiredKeys - 1);
                var ring = new KeyRing([current.PublicKey, next.PublicKey, .. others]);
                var activatesAt = _time.GetUtcNow() + activationDelay;

                // Published first; the activation file, written last, is what makes the next key pending.
                WriteJwks(ring.Keys);
                WritePrivateKey(_nextPrivateKeyPath, next);
                WriteActivation(activatesAt);
                Volatile.Write(ref _ring, ring);
                Volatile.Write(ref _pending, new PendingKey(next, activatesAt));
                Volatile.Write(ref _jwksWrittenAt, JwksWriteTicks());
                return next;
            }
        }
    }

    /// <summary>Gets the public keys as a JWKS document, current key first.</summary>
    /// <returns>The JWKS JSON text.</returns>
    public string ExportJwks() => Jwks.Export(VerificationKeys);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _current.Dispose();
            _pending?.Key.Dispose();
            foreach (var key in _superseded)
            {
                key.Dispose();
            }
        }
    }
}
