using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Timeout;
using StackExchange.Redis;

namespace AgentPassport.Redis;

/// <summary>
/// Used proofs shared by verifiers on several machines through Redis (spec v1.1 §11): each check is one atomic
/// <c>SET prefix:jkt:jti 1 NX PX ttl</c>, so of two verifiers presented the same proof exactly one sees its first use.
/// </summary>
/// <remarks>
/// <para><b>Fail closed.</b> When Redis cannot be reached, answers an error or does not answer within
/// <see cref="RedisPassportReplayCacheOptions.OperationTimeout"/>, the check is <see cref="PassportReplayCheck.Unavailable"/>
/// and the verifier refuses the call; it is never allowed unchecked. Commands fail fast while disconnected instead of queueing.</para>
/// <para><b>Never forgetting early.</b> An entry lives in Redis for the whole time to live the verifier asks for. Run
/// Redis without eviction of keys that have an expiry (<c>maxmemory-policy noeviction</c>) so a full Redis refuses
/// writes (then checks are refused) instead of dropping entries.</para>
/// </remarks>
public sealed class RedisPassportReplayCache : IPassportReplayCache, IAsyncDisposable
{
    private static readonly SearchValues<char> Base64UrlAlphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsConnection;
    private readonly RedisPassportReplayCacheOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _timeout;
    private readonly string _keyPrefix;

    private RedisPassportReplayCache(IConnectionMultiplexer redis, bool ownsConnection, RedisPassportReplayCacheOptions options)
    {
        _redis = redis;
        _ownsConnection = ownsConnection;
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _timeout = new ResiliencePipelineBuilder().AddTimeout(options.OperationTimeout).Build();
        _keyPrefix = options.KeyPrefix + ":";
    }

    /// <summary>
    /// Connects to Redis (<paramref name="configuration"/> in StackExchange.Redis form, for example <c>localhost:6379</c>).
    /// A Redis that is down does not fail the call: checks are refused until it can be reached.
    /// </summary>
    /// <param name="configuration">The Redis configuration string.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the connection.</param>
    /// <returns>The cache; dispose it to close the connection.</returns>
    /// <exception cref="InvalidOperationException">The options are inconsistent (the message says what to change).</exception>
    public static async Task<RedisPassportReplayCache> ConnectAsync(string configuration, RedisPassportReplayCacheOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        options ??= new RedisPassportReplayCacheOptions();
        options.Validate();
        var redis = await RedisFailFastConnection.ConnectAsync(configuration, options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        return new RedisPassportReplayCache(redis, ownsConnection: true, options);
    }

    /// <summary>Like <see cref="ConnectAsync(string, RedisPassportReplayCacheOptions?, CancellationToken)"/> over a connection the caller owns (not closed on dispose).</summary>
    /// <param name="redis">The connection (configure it with <c>BacklogPolicy.FailFast</c> so an outage fails fast).</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <returns>The cache.</returns>
    /// <exception cref="InvalidOperationException">The options are inconsistent (the message says what to change).</exception>
    public static RedisPassportReplayCache Create(IConnectionMultiplexer redis, RedisPassportReplayCacheOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        options ??= new RedisPassportReplayCacheOptions();
        options.Validate();
        return new RedisPassportReplayCache(redis, ownsConnection: false, options);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The thumbprint is not base64url, or the <c>jti</c> is empty (the verifier checks both before asking).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The time to live is not positive.</exception>
    public async ValueTask<PassportReplayCheck> TryRecordAsync(string thumbprint, string jti, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(thumbprint);
        ArgumentException.ThrowIfNullOrEmpty(jti);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);

        // The thumbprint has no ':' (base64url), so "prefix:jkt:jti" names exactly one (jkt, jti) pair whatever the jti holds.
        if (thumbprint.AsSpan().ContainsAnyExcept(Base64UrlAlphabet))
        {
            throw new ArgumentException("The holder key thumbprint must be base64url (RFC 7638).", nameof(thumbprint));
        }

        RedisKey key = _keyPrefix + thumbprint + ":" + jti;

        // Rounded up: an entry may outlive its window by under a millisecond, never fall short of it.
        var ttl = TimeSpan.FromMilliseconds(Math.Ceiling(timeToLive.TotalMilliseconds));
        try
        {
            bool recorded = await _timeout.ExecuteAsync(
                async ct => await _redis.GetDatabase().StringSetAsync(key, 1, ttl, When.NotExists).WaitAsync(ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return recorded ? PassportReplayCheck.FirstUse : PassportReplayCheck.Replayed;
        }
        catch (TimeoutRejectedException ex)
        {
            RedisReplayCacheLog.CheckTimedOut(_logger, (long)_options.OperationTimeout.TotalMilliseconds, ex);
            return PassportReplayCheck.Unavailable;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // RedisConnectionException, RedisServerException (OOM under noeviction, READONLY replica), RedisTimeoutException, a closed connection.
            RedisReplayCacheLog.CheckFailed(_logger, ex.GetType().Name, ex);
            return PassportReplayCheck.Unavailable;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }
    }
}
