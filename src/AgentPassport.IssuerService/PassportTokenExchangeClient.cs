using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AgentPassport.IssuerService;

/// <summary>
/// Calls an issuer service: exchanges an ID token for a root Passport, a parent's Passport for a child, and revokes a
/// held Passport. Transient failures (no connection, timeout, 5xx, 429) are retried with Polly (jittered exponential
/// back-off); every failure leaves as a <see cref="PassportTokenExchangeException"/>. Thread-safe.
/// </summary>
/// <remarks>A retried exchange whose first response was lost may mint a second Passport; the unused one expires by itself.</remarks>
public sealed class PassportTokenExchangeClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeProvider _time;
    private const int MaxResponseBytes = 1024 * 1024;
    private readonly string _issuer;
    private readonly Uri _token;
    private readonly Uri _revoke;

    /// <summary>Initializes a client.</summary>
    /// <param name="options">The configuration; checked now.</param>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public PassportTokenExchangeClient(PassportTokenExchangeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _issuer = options.IssuerUrl!.AbsoluteUri.TrimEnd('/');
        _token = new Uri(_issuer + PassportIssuerEndpoints.Token);
        _revoke = new Uri(_issuer + PassportIssuerEndpoints.Revocation);
        _time = options.TimeProvider;
        _ownsHttp = options.HttpClient is null;
        _http = options.HttpClient ?? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.TimeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        builder.AddTimeout(options.RequestTimeout);
        _pipeline = builder.Build();
    }

    /// <summary>Exchanges an ID token for a root Passport.</summary>
    /// <param name="idToken">The principal's ID token.</param>
    /// <param name="request">What to grant (<see cref="DelegationRequest.LowerLevels"/> is not sent: the levels come from the ID token).</param>
    /// <param name="holderKey">The agent's holder key to bind the Passport to (<c>cnf.jkt</c>), or null for a bearer Passport; the caller keeps ownership.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The agent's context: the root Passport, audience = the request's, holding <paramref name="holderKey"/>.</returns>
    /// <exception cref="PassportTokenExchangeException">The service refused, or could not be reached after the retries.</exception>
    public async Task<PassportContext> ExchangeIdTokenAsync(string idToken, DelegationRequest request, PassportHolderKey? holderKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idToken);
        ArgumentNullException.ThrowIfNull(request);
        var form = Form(request, holderKey?.Thumbprint ?? request.HolderThumbprint);
        form.Add(new("subject_token", idToken));
        form.Add(new("subject_token_type", PassportTokenTypes.IdToken));
        var context = await ExchangeAsync(form, request.Audience, cancellationToken).ConfigureAwait(false);
        return holderKey is null ? context : context.WithHolderKey(holderKey);
    }

    /// <summary>
    /// Exchanges a parent's Passport (with its chain) for a child Passport; the service attenuates it like <see cref="PassportDelegator"/>.
    /// A parent context holding its <see cref="PassportContext.HolderKey"/> signs the delegation proof (spec v1.1 §11), and
    /// the child is then bound to <paramref name="childKey"/> or, when null, to a new ES256 key the returned context holds.
    /// </summary>
    /// <param name="parent">The delegating agent's context.</param>
    /// <param name="request">What to grant; it can only narrow the parent.</param>
    /// <param name="childKey">The sub-agent's holder key, or null (a new one for a bound parent, none for a bearer parent); the caller keeps ownership.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sub-agent's context.</returns>
    /// <exception cref="PassportTokenExchangeException">The service refused (for example <c>invalid_scope</c> for a widening, <c>invalid_grant</c> for a bound parent without proof), or could not be reached after the retries.</exception>
    public async Task<PassportContext> DelegateAsync(PassportContext parent, DelegationRequest request, PassportHolderKey? childKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(request);
        if (childKey is null && parent.HolderKey is not null && request.HolderThumbprint is null)
        {
            childKey = PassportHolderKey.Generate();
        }

        var form = Form(request, childKey?.Thumbprint ?? request.HolderThumbprint);
        form.Add(new("subject_token", parent.Token));
        form.Add(new("subject_token_type", PassportTokenTypes.Passport));
        if (parent.ChainTokens.Count > 0)
        {
            form.Add(new("agent_passport_chain", string.Join(',', parent.ChainTokens)));
        }

        string? proof = request.ParentProof
            ?? (parent.HolderKey is { } parentKey ? PassportProof.Create(parentKey, _issuer, parent.Token, PassportProof.DelegateOperation, timeProvider: _time) : null);
        if (proof is not null)
        {
            form.Add(new("agent_passport_proof", proof));
        }

        var context = await ExchangeAsync(form, request.Audience, cancellationToken).ConfigureAwait(false);
        return childKey is null ? context : context.WithHolderKey(childKey);
    }

    /// <summary>Revokes a held Passport and every Passport delegated from it; a context holding its holder key signs the revocation proof.</summary>
    /// <param name="held">The holder's context.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the service has stored the revocation.</returns>
    /// <exception cref="PassportTokenExchangeException">The service refused, or could not be reached after the retries.</exception>
    public async Task RevokeAsync(PassportContext held, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(held);
        List<KeyValuePair<string, string>> form = [new("token", held.Token)];
        if (held.ChainTokens.Count > 0)
        {
            form.Add(new("agent_passport_chain", string.Join(',', held.ChainTokens)));
        }

        if (held.HolderKey is { } key)
        {
            form.Add(new("agent_passport_proof", PassportProof.Create(key, _issuer, held.Token, PassportIssuerEndpoints.RevokeOperation, timeProvider: _time)));
        }

        using var _ = await PostAsync(_revoke, form, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static List<KeyValuePair<string, string>> Form(DelegationRequest request, string? holderThumbprint)
    {
        if (request.LowerLevels is not null)
        {
            throw new ArgumentException("LowerLevels is not part of the token-exchange wire form.", nameof(request));
        }

        List<KeyValuePair<string, string>> form =
        [
            new("grant_type", PassportTokenTypes.TokenExchangeGrant),
            new("requested_token_type", PassportTokenTypes.Passport),
            new("audience", request.Audience),
            new("agent_id", request.AgentId),
            new("agent_model", request.AgentModel),
        ];
        if (request.ToolScope.Count > 0)
        {
            form.Add(new("scope", string.Join(' ', request.ToolScope)));
        }

        if (request.TaskPurpose is { } purpose)
        {
            form.Add(new("task_purpose", purpose));
        }

        if (request.Ttl is { } ttl)
        {
            form.Add(new("expires_in", ((long)Math.Ceiling(ttl.TotalSeconds)).ToString(CultureInfo.InvariantCulture)));
        }

        if (holderThumbprint is not null)
        {
            form.Add(new("agent_passport_holder_jkt", holderThumbprint));
        }

        if (!request.Constraints.IsEmpty)
        {
            form.Add(new("agent_passport_constraints", request.Constraints.ToJson()));
        }

        if (request.MaxDepth is int depth)
        {
            form.Add(new("max_depth", depth.ToString(CultureInfo.InvariantCulture)));
        }

        return form;
    }

    private async Task<PassportContext> ExchangeAsync(List<KeyValuePair<string, string>> form, string audience, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(_token, form, cancellationToken).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false));
            var root = doc.RootElement;
            string token = root.GetProperty("access_token").GetString()!;
            var chain = root.TryGetProperty("agent_passport_chain", out var c) ? c.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];
            return new PassportContext(token, chain, audience);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new PassportTokenExchangeException("server_error", "the issuer service answered with a body that is not a token response", null, (int)response.StatusCode, ex);
        }
    }

    private async Task<HttpResponseMessage> PostAsync(Uri url, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async ct =>
                {
                    using var content = new FormUrlEncodedContent(form);
                    return await _http.PostAsync(url, content, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            throw new PassportTokenExchangeException("temporarily_unavailable", $"the issuer service at {url} could not be reached: {ex.Message}", null, null, ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorOf(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The body, refused past <see cref="MaxResponseBytes"/> (a full chain and a Passport fit in far less).</summary>
    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxResponseBytes)
            {
                throw new JsonException($"the response is over {MaxResponseBytes} bytes");
            }
        }

        return buffer.ToArray();
    }

    private static async Task<PassportTokenExchangeException> ErrorOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        try
        {
            using var doc = JsonDocument.Parse(await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false));
            var root = doc.RootElement;
            string error = root.GetProperty("error").GetString() ?? "server_error";
            string description = root.TryGetProperty("error_description", out var d) ? d.GetString() ?? error : error;
            PassportErrorKind? kind = root.TryGetProperty("agent_passport_error", out var k) && Enum.TryParse<PassportErrorKind>(k.GetString(), out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(k.GetString(), out _) ? parsed : null;
            return new PassportTokenExchangeException(error, description, kind, status);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new PassportTokenExchangeException(status >= 500 ? "temporarily_unavailable" : "server_error", $"the issuer service answered {status} without an RFC 6749 error body", null, status, ex);
        }
    }
}
