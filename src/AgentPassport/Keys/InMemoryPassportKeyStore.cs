namespace AgentPassport;

/// <summary>
/// A key store in memory: for tests, samples and processes whose Passports need not outlive them. Thread-safe.
/// Rotates at once (<see cref="Rotate"/>) or publish-then-activate (<see cref="ScheduleRotation"/>, by the injected clock).
/// </summary>
public sealed class InMemoryPassportKeyStore : IScheduledPassportKeyStore, IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _algorithm;
    private readonly TimeProvider _time;
    private readonly List<PassportSigningKey> _retired = [];
    private PassportSigningKey _current;
    private PendingKey? _pending;
    private KeyRing _ring;

    /// <summary>Initializes a store with a newly generated key.</summary>
    /// <param name="algorithm">ES256 (default), RS256 or PS256.</param>
    /// <param name="timeProvider">The clock that activates a scheduled key; <see cref="TimeProvider.System"/> when null.</param>
    public InMemoryPassportKeyStore(string algorithm = PassportAlgorithms.ES256, TimeProvider? timeProvider = null)
        : this(PassportSigningKey.Generate(algorithm), timeProvider)
    {
    }

    /// <summary>Initializes a store with an existing key; the store takes ownership of it.</summary>
    /// <param name="signingKey">The signing key.</param>
    /// <param name="timeProvider">The clock that activates a scheduled key; <see cref="TimeProvider.System"/> when null.</param>
    public InMemoryPassportKeyStore(PassportSigningKey signingKey, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        _algorithm = signingKey.Algorithm;
        _time = timeProvider ?? TimeProvider.System;
        _current = signingKey;
        _ring = new KeyRing([signingKey.PublicKey]);
    }

    /// <inheritdoc />
    public PassportSigningKey CurrentSigningKey
    {
        get
        {
            // A scheduled key becomes current the first time it is asked for at or after its activation time.
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

    /// <inheritdoc />
    public ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        new(Volatile.Read(ref _ring).Find(keyId));

    /// <inheritdoc />
    /// <remarks>An immediate rotation (for a compromised key): a pending scheduled key is dropped from signing but stays published.</remarks>
    public PassportSigningKey Rotate()
    {
        lock (_gate)
        {
            var next = PassportSigningKey.Generate(_algorithm);
            if (Volatile.Read(ref _pending) is { } pending)
            {
                _retired.Add(pending.Key);
                Volatile.Write(ref _pending, null);
            }

            _retired.Add(_current);
            Volatile.Write(ref _ring, _ring.With(next.PublicKey));
            Volatile.Write(ref _current, next);
            return next;
        }
    }

    /// <inheritdoc />
    public PassportSigningKey ScheduleRotation(TimeSpan activationDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(activationDelay, TimeSpan.Zero);
        _ = CurrentSigningKey; // activates a pending key whose time has come
        lock (_gate)
        {
            if (Volatile.Read(ref _pending) is { } pending)
            {
                throw new InvalidOperationException($"A key rotation is already pending: {pending.Key.KeyId} signs from {pending.ActivatesAt:O}. Wait for it, or rotate immediately (Rotate) if a key is compromised.");
            }

            var next = PassportSigningKey.Generate(_algorithm);

            // Published now, behind the current key (which keeps signing until the activation time).
            Volatile.Write(ref _ring, new KeyRing([_current.PublicKey, next.PublicKey, .. _ring.Keys.Where(k => k.KeyId != _current.KeyId)]));
            Volatile.Write(ref _pending, new PendingKey(next, _time.GetUtcNow() + activationDelay));
            return next;
        }
    }

    /// <summary>
    /// Stops trusting the retired public key <paramref name="keyId"/>: it leaves <see cref="VerificationKeys"/> and the JWKS,
    /// so Passports it signed no longer verify here, and no longer verify at remote verifiers once they refresh.
    /// </summary>
    /// <param name="keyId">The <c>kid</c> of a retired key.</param>
    /// <returns><see langword="true"/> when the key was removed; <see langword="false"/> when no trusted key has that id.</returns>
    /// <exception cref="InvalidOperationException">The key is the current or the pending signing key.</exception>
    public bool Remove(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        _ = CurrentSigningKey;
        lock (_gate)
        {
            if (keyId == _current.KeyId || keyId == Volatile.Read(ref _pending)?.Key.KeyId)
            {
                throw new InvalidOperationException($"The key {keyId} is the current or the next signing key; rotate first, then remove it.");
            }

            if (_ring.Find(keyId) is null)
            {
                return false;
            }

            Volatile.Write(ref _ring, new KeyRing([.. _ring.Keys.Where(k => k.KeyId != keyId)]));
            return true;
        }
    }

    /// <summary>Gets the public keys as a JWKS document.</summary>
    /// <returns>The JWKS JSON text.</returns>
    public string ExportJwks() => Jwks.Export(VerificationKeys);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _current.Dispose();
            _pending?.Key.Dispose();
            foreach (var key in _retired)
            {
                key.Dispose();
            }
        }
    }

    private void Activate(PendingKey pending)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(Volatile.Read(ref _pending), pending))
            {
                return;
            }

            _retired.Add(_current);
            Volatile.Write(ref _ring, new KeyRing([pending.Key.PublicKey, .. _ring.Keys.Where(k => k.KeyId != pending.Key.KeyId)]));
            Volatile.Write(ref _current, pending.Key);
            Volatile.Write(ref _pending, null);
        }
    }

    private sealed record PendingKey(PassportSigningKey Key, DateTimeOffset ActivatesAt);
}
