using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace AgentPassport;

/// <summary>
/// Fetches JSON documents from the OpenID provider through one Polly pipeline: retry with jittered exponential
/// back-off (outermost), a circuit breaker, and a per-attempt timeout, all on the injected <see cref="TimeProvider"/>.
/// Every failure leaves as an <see cref="AgentPassportException"/> naming the URL and the cause.
/// </summary>
internal sealed class OidcHttp : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResiliencePipeline _pipeline;
    private readonly int _maxBytes;
    private readonly TimeSpan _timeout;

    public OidcHttp(OidcHttpSettings options)
    {
        _ownsHttp = options.HttpClient is null;

        // An owned client relies on the pipeline's timeout alone, and does not follow redirects: discovery and keys
        // come from exactly the configured and discovered URLs.
        _http = options.HttpClient ?? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        _maxBytes = options.MaxResponseBytes;
        _timeout = options.RequestTimeout;
        var transient = new PredicateBuilder()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .Handle<TransientHttpException>();
        var builder = new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = transient,
            FailureRatio = 0.5,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
        });
        builder.AddTimeout(options.RequestTimeout);
        _pipeline = builder.Build();
        Attempts = options.MaxRetries + 1;
    }

    public HttpClient Client => _http;

    public int Attempts { get; }

    /// <summary>GETs <paramref name="url"/> and parses a JSON object. The caller disposes the document.</summary>
    public async Task<JsonDocument> GetJsonObjectAsync(Uri url, PassportErrorKind kind, string what, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await _pipeline.ExecuteAsync(
                static async (state, ct) => await state.Self.GetOnceAsync(state.Url, ct).ConfigureAwait(false),
                (Self: this, Url: url),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not AgentPassportException)
        {
            throw AgentPassportException.Create(kind, $"{what} {url} failed: {Describe(ex)}", ex);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            // ArgumentException: text that is not valid UTF-16 (a raw lone surrogate).
            throw AgentPassportException.Create(kind, $"{what} {url} failed: the response is not valid JSON", ex);
        }

        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            var valueKind = doc.RootElement.ValueKind;
            doc.Dispose();
            throw AgentPassportException.Create(kind, $"{what} {url} failed: the response is not a JSON object (got {valueKind})");
        }

        if (!Jose.DecodableJson.IsDecodable(doc.RootElement))
        {
            // An escaped lone surrogate would make a later GetString throw InvalidOperationException.
            doc.Dispose();
            throw AgentPassportException.Create(kind, $"{what} {url} failed: the response has a string that is not valid Unicode text");
        }

        return doc;
    }

    private async Task<string> GetOnceAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The injected HttpClient's own timeout fired.
            throw new TransientHttpException("the HTTP client timed out", ex);
        }

        using (response)
        {
            int status = (int)response.StatusCode;
            if (status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            {
                throw new TransientHttpException($"HTTP {status}");
            }

            if (!response.IsSuccessStatusCode)
            {
                // 4xx: not transient, not retried.
                throw new InvalidDataException($"HTTP {status}");
            }

            return await ReadLimitedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > _maxBytes)
        {
            throw new InvalidDataException($"the response is larger than {_maxBytes} bytes");
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > _maxBytes)
                {
                    throw new InvalidDataException($"the response is larger than {_maxBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    private string Describe(Exception ex) => ex switch
    {
        TimeoutRejectedException => $"timed out after {_timeout.TotalMilliseconds:0} ms (after {Attempts} attempt(s))",
        BrokenCircuitException => "the circuit breaker is open after repeated failures; not contacting the provider for now",
        TransientHttpException t => $"{t.Message} (after {Attempts} attempt(s))",
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } =>
            $"connection refused (after {Attempts} attempt(s))",
        HttpRequestException h => $"{OidcUrls.Clip(h.Message, 200)} (after {Attempts} attempt(s))",
        InvalidDataException d => d.Message,
        _ => OidcUrls.Clip(ex.Message, 200),
    };

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
