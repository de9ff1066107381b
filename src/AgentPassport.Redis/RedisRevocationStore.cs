using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using StackExchange.Redis;

namespace AgentPassport.Redis;

/// <summary>
/// Revocations shared by verifiers on several machines through Redis (spec v1.1 §12). Each store keeps a local snapshot,
/// updated by pub/sub push and by a periodic full resync, so a check is a local lookup, never a network round trip.
/// </summary>
/// <remarks>
/// Fails closed: until the first resync, and whenever the snapshot is older than
/// <see cref="RedisRevocationStoreOptions.MaxStaleness"/>, checks are <see cref="PassportErrorKind.RevocationUnavailable"/>.
/// The snapshot only grows (a Redis restarted empty is re-seeded from the verifiers' snapshots, never un-revoking), and every
/// Redis operation is bounded by <see cref="RedisRevocationStoreOptions.OperationTimeout"/>. Why: docs/security.md §9.
/// </remarks>
public sealed partial class RedisRevocationStore : IRevocationStore, IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsConnection;
    private readonly RedisRevocationStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _timeout;
    private readonly RedisKey _indexKey;
    private readonly RedisKey _epochKey;
    private readonly RedisChannel _channel;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _resyncGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private RevocationSet _set = RevocationSet.Empty;
    private long _syncedAtTicks = long.MinValue; // UTC ticks of the injected clock; MinValue = never synchronized
    private string? _epoch;
    private Task _loop = Task.CompletedTask;
    private int _dataLossRecoveries;

    private RedisRevocationStore(IConnectionMultiplexer redis, bool ownsConnection, RedisRevocationStoreOptions options)
    {
        _redis = redis;
        _ownsConnection = ownsConnection;
        _options = options;
        _time = options.TimeProvider ?? TimeProvider.System;
        _logger = options.Logger ?? NullLogger.Instance;
        _timeout = new ResiliencePipelineBuilder().AddTimeout(options.OperationTimeout).Build();
        _indexKey = options.KeyPrefix + ":index";
        _epochKey = options.KeyPrefix + ":epoch";
        _channel = RedisChannel.Literal(options.KeyPrefix + ":events");
    }

    /// <summary>Gets the epoch (data-set generation) this store last saw in Redis, or null before the first resync.</summary>
    public string? Epoch => Volatile.Read(ref _epoch);

    /// <summary>Gets how many times this store found Redis had lost the list and re-published its snapshot.</summary>
    public int DataLossRecoveries => Volatile.Read(ref _dataLossRecoveries);

    /// <summary>
    /// Connects to Redis (<paramref name="configuration"/> in StackExchange.Redis form, for example <c>localhost:6379</c>),
    /// subscribes, runs a first resync and starts the resync loop. A Redis that is down does not fail the call: the store
    /// refuses until it can synchronize.
    /// </summary>
    /// <param name="configuration">The Redis configuration string.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the connection.</param>
    /// <returns>The store; dispose it to stop the loop and close the connection.</returns>
    /// <exception cref="InvalidOperationException">The options are inconsistent (the message says what to change).</exception>
    public static async Task<RedisRevocationStore> ConnectAsync(string configuration, RedisRevocationStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        options ??= new RedisRevocationStoreOptions();
        options.Validate();
        var redis = await RedisFailFastConnection.ConnectAsync(configuration, options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        return await StartAsync(redis, ownsConnection: true, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Like <see cref="ConnectAsync(string, RedisRevocationStoreOptions?, CancellationToken)"/> over a connection the caller owns (not closed on dispose).</summary>
    /// <param name="redis">The connection (configure it with <c>BacklogPolicy.FailFast</c> so an outage fails fast).</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the first resync.</param>
    /// <returns>The store.</returns>
    public static Task<RedisRevocationStore> CreateAsync(IConnectionMultiplexer redis, RedisRevocationStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redis);
        options ??= new RedisRevocationStoreOptions();
        options.Validate();
        return StartAsync(redis, ownsConnection: false, options, cancellationToken);
    }

    /// <inheritdoc />
    public bool TryGetCurrent([NotNullWhen(true)] out RevocationSet? revocations, [NotNullWhen(false)] out string? unavailableReason)
    {
        long synced = Volatile.Read(ref _syncedAtTicks);
        if (synced == long.MinValue)
        {
            revocations = null;
            unavailableReason = "the Redis revocation list has not been read yet";
            return false;
        }

        var age = TimeSpan.FromTicks(_time.GetUtcNow().UtcTicks - synced);
        if (age > _options.MaxStaleness)
        {
            revocations = null;
            unavailableReason = $"the Redis revocation snapshot is {age.TotalSeconds:0.###} s old, beyond the {_options.MaxStaleness.TotalSeconds:0.###} s bound";
            return false;
        }

        revocations = Volatile.Read(ref _set);
        unavailableReason = null;
        return true;
    }

    /// <inheritdoc />
    /// <exception cref="AgentPassportException">Redis did not take the entry in time (<see cref="PassportErrorKind.RevocationUnavailable"/>); the local snapshot has it anyway.</exception>
    public async ValueTask RevokeAsync(RevocationEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);

        // Local first: this process stops honouring the Passport even if Redis cannot be reached.
        Merge([entry]);
        string epoch = await RunAsync(ct => WriteAsync(entry, ct), cancellationToken).ConfigureAwait(false);
        await AdoptEpochAsync(epoch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the whole list from Redis now and merges it into the snapshot (the loop does this every <see cref="RedisRevocationStoreOptions.ResyncInterval"/>).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task that completes when the snapshot is current.</returns>
    /// <exception cref="AgentPassportException">Redis could not be read in time (<see cref="PassportErrorKind.RevocationUnavailable"/>).</exception>
    public async Task ResyncAsync(CancellationToken cancellationToken = default)
    {
        await _resyncGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long started = _time.GetUtcNow().UtcTicks;
            var (epoch, entries) = await RunAsync(ReadSnapshotAsync, cancellationToken).ConfigureAwait(false);
            Merge(entries);
            if (epoch is null)
            {
                // No epoch: a fresh deployment, or Redis lost everything. AdoptEpoch tells them apart by what we saw before.
                epoch = await RunAsync(async ct => (string)(await Db.ScriptEvaluateAsync(RedisRevocationScripts.EnsureEpoch, [_epochKey], [NewEpoch()]).WaitAsync(ct).ConfigureAwait(false))!, cancellationToken).ConfigureAwait(false);
            }

            await AdoptEpochAsync(epoch, cancellationToken).ConfigureAwait(false);
            InterlockedMax(ref _syncedAtTicks, started);
        }
        finally
        {
            _resyncGate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        if (_options.UsePubSub)
        {
            try
            {
                await _redis.GetSubscriber().UnsubscribeAsync(_channel).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Disconnected: nothing to unsubscribe.
            }
        }

        if (_ownsConnection)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        _resyncGate.Dispose();
    }

    private static async Task<RedisRevocationStore> StartAsync(IConnectionMultiplexer redis, bool ownsConnection, RedisRevocationStoreOptions options, CancellationToken cancellationToken)
    {
        var store = new RedisRevocationStore(redis, ownsConnection, options);
        if (options.UsePubSub)
        {
            // Subscribed before the first resync, so nothing written in between is missed; the client resubscribes after a reconnect.
            try
            {
                await redis.GetSubscriber().SubscribeAsync(store._channel, (_, message) => store.OnMessage(message)).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Redis is down at start: the resync loop covers it, and the client subscribes when it connects.
            }
        }

        try
        {
            await store.ResyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AgentPassportException)
        {
            // Down at start: the store refuses until the loop's first successful resync.
        }

        store._loop = store.ResyncLoopAsync(store._stopping.Token);
        return store;
    }
}
