using Microsoft.AspNetCore.Http;

namespace AgentPassport.IssuerService;

/// <summary>
/// Configures the issuer service that <c>MapAgentPassportIssuer</c> publishes. Checked when the endpoints are mapped:
/// a configuration that cannot be secured is refused there with an <see cref="InvalidOperationException"/>.
/// </summary>
public sealed class PassportIssuerServiceOptions
{
    /// <summary>The default largest request body: a full chain, the parent, a proof and the form's other fields.</summary>
    public const int DefaultMaxRequestBytes = PassportLimits.MaxChainBytes + (4 * PassportLimits.MaxTokenBytes);

    /// <summary>Gets or sets the issuer that signs every Passport the service mints. Its key store should be an <see cref="IScheduledPassportKeyStore"/>, so it can rotate publish-then-activate.</summary>
    /// <value>Required.</value>
    public PassportIssuer? Issuer { get; set; }

    /// <summary>Gets or sets the validator of ID tokens exchanged for root Passports. Null: the service mints no root Passports (only children).</summary>
    /// <value>Default null.</value>
    public IIdentityValidator? IdentityValidator { get; set; }

    /// <summary>Gets or sets the most a root Passport may grant: each requested scope must be covered by one of these (else <c>invalid_scope</c>).</summary>
    /// <value>Default empty: a root Passport is granted no scopes, so every root request naming one is refused.</value>
    public IReadOnlyList<string> RootScopes { get; set; } = [];

    /// <summary>Gets or sets the audiences Passports may be minted for (exact, ordinal); any other is <c>invalid_target</c>.</summary>
    /// <value>Required: at least one.</value>
    public IReadOnlyList<string> Audiences { get; set; } = [];

    /// <summary>Gets or sets the revocation store: checked for every parent, and written by the revocation endpoint. Null: no revocation endpoint.</summary>
    /// <value>Default null.</value>
    public IRevocationStore? Revocations { get; set; }

    /// <summary>Gets or sets where mints, refusals and revocations are recorded. Null: nowhere.</summary>
    /// <value>Default null.</value>
    public IPassportAuditSink? AuditSink { get; set; }

    /// <summary>
    /// Gets or sets the administrator policy of the revocation endpoint: when it returns true for a request, that request
    /// may revoke any Passport of this issuer, or every Passport of a principal or an agent, without holding it. It adds
    /// power to revoke; it never lets anything be minted. Null: only holders revoke.
    /// </summary>
    /// <value>Default null.</value>
    public Func<HttpContext, CancellationToken, ValueTask<bool>>? IsAdministrator { get; set; }

    /// <summary>Gets or sets the rotation schedule: the JWKS <c>Cache-Control</c> comes from it.</summary>
    /// <value>Default: 30 s verifier refresh interval, 30 s max-age.</value>
    public PassportKeyRotationSchedule RotationSchedule { get; set; } = new();

    /// <summary>Gets or sets the largest request body accepted by the token and revocation endpoints; larger is refused (413) unread.</summary>
    /// <value>Default <see cref="DefaultMaxRequestBytes"/>; 1 KiB .. 1 MiB.</value>
    public int MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>Gets or sets how many token and revocation requests one client address may make per second (a token bucket of this size, refilled every second).</summary>
    /// <value>Default 100; 1 .. 1,000,000.</value>
    public int RequestsPerSecondPerClient { get; set; } = 100;

    /// <summary>Gets or sets the clock.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal PassportIssuer ValidatedIssuer()
    {
        var issuer = Issuer ?? throw new InvalidOperationException("PassportIssuerServiceOptions.Issuer is required: set it to the PassportIssuer that signs the service's Passports.");
        if (!Uri.TryCreate(issuer.IssuerUrl, UriKind.Absolute, out var url) || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)) || url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            throw new InvalidOperationException($"The issuer URL '{issuer.IssuerUrl}' cannot be published: an issuer served over HTTP needs an absolute https URL (http only on a loopback host) without query or fragment (RFC 8414 §2).");
        }

        if (Audiences is null || Audiences.Count == 0 || Audiences.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidOperationException("PassportIssuerServiceOptions.Audiences must list the audiences (the tools' resource names) Passports may be minted for.");
        }

        if (!ScopeSet.TryParse(RootScopes ?? [], out _, out var error))
        {
            throw new InvalidOperationException($"PassportIssuerServiceOptions.RootScopes is not a valid scope list: {error}.");
        }

        ArgumentNullException.ThrowIfNull(RotationSchedule);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (MaxRequestBytes is < 1024 or > 1024 * 1024)
        {
            throw new InvalidOperationException("PassportIssuerServiceOptions.MaxRequestBytes must be 1 KiB .. 1 MiB.");
        }

        if (RequestsPerSecondPerClient is < 1 or > 1_000_000)
        {
            throw new InvalidOperationException("PassportIssuerServiceOptions.RequestsPerSecondPerClient must be 1 .. 1,000,000.");
        }

        return issuer;
    }
}
