using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// Validates OpenID Connect ID tokens (spec §6) and turns them into <see cref="IdentityAssertion"/>s that a
/// <see cref="PassportIssuer"/> mints root Passports from. Every check always runs: the algorithm allow-list
/// (never <c>none</c> or <c>HS*</c>), the signature with the key of exactly the header's <c>kid</c>, <c>iss</c> equal to the
/// discovered issuer, <c>aud</c> containing the client id (and <c>azp</c> equal to it when present or when there are several
/// audiences), <c>exp</c>, <c>nbf</c>, <c>iat</c> not in the future, <c>sub</c>, the <c>nonce</c> when one is expected, and
/// the <c>acr</c> mapping. Thread-safe.
/// </summary>
public sealed class IdTokenValidator : IIdentityValidator
{
    private readonly OpenIdProviderClient _provider;
    private readonly IdTokenValidatorOptions _options;

    /// <summary>Initializes a validator.</summary>
    /// <param name="provider">The provider client (discovery and keys); not owned.</param>
    /// <param name="options">The configuration; checked now.</param>
    public IdTokenValidator(OpenIdProviderClient provider, IdTokenValidatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _provider = provider;
        _options = options;
    }

    /// <summary>Gets the client id the tokens must be issued to.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>Gets the provider client.</summary>
    public OpenIdProviderClient Provider => _provider;

    /// <summary>Validates an ID token without a nonce expectation (for a token obtained outside <see cref="LoopbackLogin"/>).</summary>
    /// <param name="idToken">The ID token.</param>
    /// <param name="cancellationToken">Cancels the validation.</param>
    /// <returns>The identity.</returns>
    /// <exception cref="AgentPassportException">The token is invalid, or the provider cannot be reached to check it.</exception>
    public ValueTask<IdentityAssertion> ValidateAsync(string idToken, CancellationToken cancellationToken = default) =>
        ValidateAsync(idToken, expectedNonce: null, cancellationToken);

    /// <summary>Validates an ID token and, when <paramref name="expectedNonce"/> is given, that its <c>nonce</c> equals it.</summary>
    /// <param name="idToken">The ID token.</param>
    /// <param name="expectedNonce">The nonce the login sent, or null.</param>
    /// <param name="cancellationToken">Cancels the validation.</param>
    /// <returns>The identity, with <see cref="IdentityAssertion.Audience"/> (the client id) and <see cref="IdentityAssertion.ExpiresAt"/> set.</returns>
    /// <exception cref="AgentPassportException">
    /// InvalidIdToken, AlgorithmNotAllowed, KeyNotFound, InvalidSignature, UntrustedIssuer, AudienceMismatch, Expired,
    /// NotYetValid, UnsupportedAcr, or DiscoveryError / JwksError when the provider cannot be reached.
    /// </exception>
    public async ValueTask<IdentityAssertion> ValidateAsync(string idToken, string? expectedNonce, CancellationToken cancellationToken = default)
    {
        // Cheap structural checks first, so garbage never causes network traffic.
        using var parts = IdTokenParts.Parse(idToken, _options.MaxTokenBytes, _options.AllowedAlgorithms);
        var metadata = await _provider.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
        var key = await _provider.GetSigningKeyAsync(parts.KeyId, parts.Algorithm, cancellationToken).ConfigureAwait(false);
        if (!parts.VerifySignature(key))
        {
            throw Fail(PassportErrorKind.InvalidSignature, "the ID token signature does not verify");
        }

        var claims = parts.Claims;
        string iss = OptionalString(claims, "iss") ?? throw Fail(PassportErrorKind.UntrustedIssuer, "the ID token has no 'iss'");
        if (!string.Equals(iss, metadata.Issuer, StringComparison.Ordinal))
        {
            throw Fail(PassportErrorKind.UntrustedIssuer, $"the ID token issuer '{RemoteUrls.Clip(iss)}' is not the provider's '{metadata.Issuer}'");
        }

        CheckAudience(claims);
        var now = _provider.TimeProvider.GetUtcNow();
        var skew = _options.ClockSkew;
        var exp = RequiredTime(claims, "exp");
        if (Beyond(now, exp, skew, inclusive: true))
        {
            throw Fail(PassportErrorKind.Expired, $"the ID token expired at {OidcRules.FormatUtc(exp)}");
        }

        if (OptionalTime(claims, "nbf") is { } nbf && Beyond(nbf, now, skew, inclusive: false))
        {
            throw Fail(PassportErrorKind.NotYetValid, $"the ID token is not valid before {OidcRules.FormatUtc(nbf)}");
        }

        var iat = RequiredTime(claims, "iat");
        if (Beyond(iat, now, skew, inclusive: false))
        {
            throw Fail(PassportErrorKind.NotYetValid, $"the ID token was issued in the future ({OidcRules.FormatUtc(iat)})");
        }

        string sub = OptionalString(claims, "sub") ?? throw Fail(PassportErrorKind.InvalidIdToken, "the ID token has no 'sub' string");
        if (sub.Length == 0 || sub.Length > 255)
        {
            throw Fail(PassportErrorKind.InvalidIdToken, "the ID token 'sub' must be 1..255 characters");
        }

        CheckNonce(claims, expectedNonce);
        var (acr, levels) = MapAcr(claims);
        return new IdentityAssertion(iss, sub, acr, levels) { Audience = _options.ClientId, ExpiresAt = exp };
    }

    private void CheckAudience(JsonElement claims)
    {
        string clientId = _options.ClientId;
        if (!claims.TryGetProperty("aud", out var aud))
        {
            throw Fail(PassportErrorKind.AudienceMismatch, "the ID token has no 'aud'");
        }

        int count;
        bool contains;
        if (aud.ValueKind == JsonValueKind.String)
        {
            count = 1;
            contains = aud.GetString() == clientId;
        }
        else if (aud.ValueKind == JsonValueKind.Array && aud.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            count = aud.GetArrayLength();
            contains = aud.EnumerateArray().Any(e => e.GetString() == clientId);
        }
        else
        {
            throw Fail(PassportErrorKind.InvalidIdToken, "the ID token 'aud' must be a string or an array of strings");
        }

        if (!contains)
        {
            throw Fail(PassportErrorKind.AudienceMismatch, $"the ID token was not issued to the client '{clientId}'");
        }

        bool hasAzp = claims.TryGetProperty("azp", out var azp);
        if (hasAzp && (azp.ValueKind != JsonValueKind.String || azp.GetString() != clientId))
        {
            throw Fail(PassportErrorKind.AudienceMismatch, $"the ID token's authorized party 'azp' is not the client '{clientId}'");
        }

        if (count > 1 && !hasAzp)
        {
            throw Fail(PassportErrorKind.AudienceMismatch, "the ID token has several audiences but no 'azp'");
        }
    }

    private static void CheckNonce(JsonElement claims, string? expectedNonce)
    {
        if (expectedNonce is null)
        {
            return;
        }

        string? nonce = OptionalString(claims, "nonce");
        if (nonce is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(nonce), Encoding.UTF8.GetBytes(expectedNonce)))
        {
            throw Fail(PassportErrorKind.InvalidIdToken, nonce is null ? "the ID token has no 'nonce' but the login sent one" : "the ID token 'nonce' does not match the login's");
        }
    }

    private (string? Acr, AssuranceLevels? Levels) MapAcr(JsonElement claims)
    {
        if (!claims.TryGetProperty("acr", out var acrElement) || acrElement.ValueKind == JsonValueKind.Null)
        {
            // No acr: a "scope-only" identity without levels.
            return (null, null);
        }

        if (acrElement.ValueKind != JsonValueKind.String)
        {
            throw Fail(PassportErrorKind.InvalidIdToken, "the ID token 'acr' must be a string");
        }

        string acr = acrElement.GetString()!;
        AssuranceLevels? levels;
        try
        {
            levels = _options.AcrMapping.Map(acr);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failing custom mapping denies; it never lets a token through.
            throw AgentPassportException.Create(PassportErrorKind.UnsupportedAcr, $"the ACR mapping failed on acr '{RemoteUrls.Clip(acr)}'", ex);
        }

        return levels is null
            ? throw Fail(PassportErrorKind.UnsupportedAcr, $"the acr '{RemoteUrls.Clip(acr)}' is not supported by the ACR mapping")
            : (acr, levels);
    }

    /// <summary>
    /// Whether <paramref name="later"/> is more than <paramref name="skew"/> after <paramref name="earlier"/> (or exactly
    /// that much when <paramref name="inclusive"/>). Compared as a tick difference, which cannot overflow, instead of
    /// <c>time + skew</c>, which throws near <see cref="DateTimeOffset.MaxValue"/>.
    /// </summary>
    private static bool Beyond(DateTimeOffset later, DateTimeOffset earlier, TimeSpan skew, bool inclusive)
    {
        long difference = later.UtcTicks - earlier.UtcTicks;
        return inclusive ? difference >= skew.Ticks : difference > skew.Ticks;
    }

    private static string? OptionalString(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset RequiredTime(JsonElement claims, string name) =>
        OptionalTime(claims, name) ?? throw Fail(PassportErrorKind.InvalidIdToken, $"the ID token has no '{name}'");

    private static DateTimeOffset? OptionalTime(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var v))
        {
            return null;
        }

        // NumericDate is a JSON number (RFC 7519 §2); strings and out-of-range values are refused.
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double seconds)
            || double.IsNaN(seconds) || seconds < 0 || seconds > 253402300799)
        {
            throw Fail(PassportErrorKind.InvalidIdToken, $"the ID token '{name}' is not a valid NumericDate");
        }

        return DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(seconds));
    }

    private static AgentPassportException Fail(PassportErrorKind kind, string message) => AgentPassportException.Create(kind, message);
}
