using AgentPassport.Testing;

namespace AgentPassport.Samples;

/// <summary>
/// The sign-in every sample starts from (Quickstart shows it step by step): the in-process mock OpenID provider on
/// 127.0.0.1 signs the person in at IAL2, and the issuer's <see cref="IdTokenValidator"/> checks the ID token against the
/// provider's discovery document and JWKS.
/// </summary>
internal sealed class SampleSignIn : IAsyncDisposable
{
    private readonly MockOpenIdProvider _provider;
    private readonly OpenIdProviderClient _oidc;

    private SampleSignIn(MockOpenIdProvider provider, OpenIdProviderClient oidc, IdTokenValidator validator, string idToken)
    {
        _provider = provider;
        _oidc = oidc;
        Validator = validator;
        IdToken = idToken;
    }

    /// <summary>Gets the issuer's ID-token validator (client <c>agent-passport-issuer</c>).</summary>
    public IdTokenValidator Validator { get; }

    /// <summary>Gets the provider's discovery URL (for an issuer in another process).</summary>
    public Uri DiscoveryUrl => _provider.DiscoveryUrl;

    /// <summary>Gets the person's IAL2 ID token (pairwise subject <c>user-alice-pairwise</c>).</summary>
    public string IdToken { get; }

    /// <summary>Starts the provider and signs the person in.</summary>
    public static async Task<SampleSignIn> StartAsync()
    {
        var provider = await MockOpenIdProvider.StartNewAsync(new MockOpenIdProviderOptions { ClientId = "agent-passport-issuer" });
        var oidc = new OpenIdProviderClient(new OpenIdProviderClientOptions { DiscoveryUrl = provider.DiscoveryUrl });
        var validator = new IdTokenValidator(oidc, new IdTokenValidatorOptions { ClientId = provider.ClientId });
        return new SampleSignIn(provider, oidc, validator, provider.MintIdToken(subject: "user-alice-pairwise"));
    }

    /// <summary>Validates the ID token: the verified identity a root Passport is issued for.</summary>
    public ValueTask<IdentityAssertion> ValidateAsync() => Validator.ValidateAsync(IdToken);

    public async ValueTask DisposeAsync()
    {
        _oidc.Dispose();
        await _provider.DisposeAsync();
    }
}
