namespace AgentPassport;

/// <summary>The parts of an OpenID provider's discovery document (OpenID Connect Discovery 1.0) the library uses.</summary>
public sealed record OpenIdProviderMetadata
{
    /// <summary>Initializes the metadata.</summary>
    /// <param name="issuer">The provider's issuer identifier; ID tokens must carry it exactly as <c>iss</c>.</param>
    /// <param name="jwksUri">Where the provider's signing keys are published.</param>
    public OpenIdProviderMetadata(string issuer, Uri jwksUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentNullException.ThrowIfNull(jwksUri);
        Issuer = issuer;
        JwksUri = jwksUri;
    }

    /// <summary>Gets the issuer identifier.</summary>
    public string Issuer { get; }

    /// <summary>Gets the JWKS URL.</summary>
    public Uri JwksUri { get; }

    /// <summary>Gets the authorization endpoint, if the document names one (needed for login).</summary>
    public Uri? AuthorizationEndpoint { get; init; }

    /// <summary>Gets the token endpoint, if the document names one (needed for login).</summary>
    public Uri? TokenEndpoint { get; init; }

    /// <summary>Gets the ID token signing algorithms the provider advertises (informational).</summary>
    public IReadOnlyList<string> IdTokenSigningAlgorithms { get; init; } = [];
}
