using System.Net;

namespace AgentPassport;

/// <summary>
/// The caller's side of the HTTP wire contract (spec v1.1 §15): adds <c>Agent-Passport</c>, <c>Agent-Passport-Chain</c>
/// (root first) and, for a holder-bound Passport, a fresh <c>Agent-Passport-Proof</c> signed with the agent's holder key
/// to every request. The proof names the request (<c>htm</c> + <c>htu</c>, RFC 9449), or the tool's required scope and
/// arguments when the request sets <see cref="Operation"/> (and <see cref="Arguments"/>).
/// </summary>
/// <remarks>
/// <para>Refused (an <see cref="InvalidOperationException"/> before anything is sent): a holder-bound Passport without its
/// key or with another key; a request to plain <c>http</c> other than loopback (the Passport would travel in clear); a
/// request that already carries one of these headers (two Passports in one request are refused by servers anyway).</para>
/// <para>Redirects are followed below this handler, by the primary handler, with the headers as sent. A bound Passport's
/// proof names the original URL and is usable once, so it is worthless elsewhere; a bearer Passport is not: turn off
/// <c>AllowAutoRedirect</c> on the primary handler when the Passport is a bearer token.</para>
/// </remarks>
public sealed class PassportHttpMessageHandler : DelegatingHandler
{
    private readonly string _audience;
    private readonly string? _chainHeader;
    private readonly TimeProvider _time;

    /// <summary>Initializes a handler for <paramref name="passport"/>; set <see cref="DelegatingHandler.InnerHandler"/> or add it to an <c>HttpClient</c> pipeline.</summary>
    /// <param name="passport">The agent's Passport, chain and (for a bound Passport) holder key (<see cref="PassportContext.WithHolderKey"/>).</param>
    /// <param name="timeProvider">The clock for the proofs' <c>iat</c>; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="InvalidOperationException">The Passport is bound but the context holds no key or another key, or the context carries a fixed proof.</exception>
    /// <exception cref="AgentPassportException">The Passport cannot be decoded.</exception>
    public PassportHttpMessageHandler(PassportContext passport, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(passport);
        var claims = PassportReader.DecodeUnverified(passport.Token);
        if (passport.Proof is not null)
        {
            throw new InvalidOperationException("The PassportContext carries a fixed proof, but a proof is for one call: give the handler a context with the holder key (WithHolderKey) and it signs a fresh proof for each request.");
        }

        if (claims.HolderThumbprint is { } bound)
        {
            if (passport.HolderKey is null)
            {
                throw new InvalidOperationException("The Passport is bound to a holder key (cnf.jkt), so every request needs a proof signed by that key: pass context.WithHolderKey(key).");
            }

            if (!string.Equals(passport.HolderKey.Thumbprint, bound, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The context's holder key is not the key the Passport is bound to (its thumbprint differs from cnf.jkt): pass the agent's own key.");
            }
        }

        Passport = passport;
        _audience = claims.Audience;
        _chainHeader = passport.ChainTokens.Count > 0 ? string.Join(',', passport.ChainTokens) : null;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Initializes a handler over <paramref name="innerHandler"/>.</summary>
    /// <param name="passport">The agent's Passport, chain and holder key.</param>
    /// <param name="innerHandler">The handler that sends the request.</param>
    /// <param name="timeProvider">The clock for the proofs' <c>iat</c>.</param>
    public PassportHttpMessageHandler(PassportContext passport, HttpMessageHandler innerHandler, TimeProvider? timeProvider = null)
        : this(passport, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(innerHandler);
        InnerHandler = innerHandler;
    }

    /// <summary>Gets the request option that makes the proof name a tool call (<c>op</c> = the tool's required scope) instead of the HTTP request.</summary>
    public static HttpRequestOptionsKey<string> Operation { get; } = new("AgentPassport.Operation");

    /// <summary>Gets the request option with the call's arguments, bound into the proof (<c>args</c>) together with <see cref="Operation"/>.</summary>
    public static HttpRequestOptionsKey<PassportToolArguments> Arguments { get; } = new("AgentPassport.Arguments");

    /// <summary>Gets the context whose Passport this handler sends.</summary>
    public PassportContext Passport { get; }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        AddCredentials(request);
        return base.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        AddCredentials(request);
        return base.Send(request, cancellationToken);
    }

    private void AddCredentials(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var url = request.RequestUri is { IsAbsoluteUri: true } absolute
            ? absolute
            : throw new InvalidOperationException("The request has no absolute URL; set HttpClient.BaseAddress or use an absolute URL.");
        if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && IsLoopback(url)))
        {
            throw new InvalidOperationException($"A Passport is sent over https only (plain http to loopback for development); refusing {url.Scheme}://{url.Authority}.");
        }

        if (request.Headers.Contains(PassportHttpHeaders.Passport) || request.Headers.Contains(PassportHttpHeaders.Chain) || request.Headers.Contains(PassportHttpHeaders.Proof))
        {
            throw new InvalidOperationException("The request already carries Agent-Passport headers; a request carries one Passport, added by this handler.");
        }

        request.Headers.TryAddWithoutValidation(PassportHttpHeaders.Passport, Passport.Token);
        if (_chainHeader is not null)
        {
            request.Headers.TryAddWithoutValidation(PassportHttpHeaders.Chain, _chainHeader);
        }

        if (Passport.HolderKey is { } key)
        {
            string proof = request.Options.TryGetValue(Operation, out var op)
                ? PassportProof.Create(key, _audience, Passport.Token, op, request.Options.TryGetValue(Arguments, out var args) ? args : null, _time)
                : PassportProof.CreateForHttp(key, _audience, Passport.Token, request.Method.Method, url, _time);
            request.Headers.TryAddWithoutValidation(PassportHttpHeaders.Proof, proof);
        }
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
