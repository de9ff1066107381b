namespace AgentPassport.IssuerService.Tests;

/// <summary>A verifier that trusts the issuer by its JWKS URL only, as a tool server on another machine does.</summary>
internal sealed class RemoteVerifier : IDisposable
{
    private readonly RemoteJwksPassportKeyResolver _keys;
    private readonly PassportVerifier _verifier;
    private readonly VerificationPolicy _policy;

    public RemoteVerifier(IssuerHost host, TimeSpan? cacheDuration = null, TimeSpan? maxStaleAge = null)
    {
        _keys = new RemoteJwksPassportKeyResolver(new RemoteJwksPassportKeyResolverOptions
        {
            JwksUrl = new Uri(host.IssuerUrl + "/jwks.json"),
            TimeProvider = host.Time,
            CacheDuration = cacheDuration ?? host.Options.RotationSchedule.JwksMaxAge,
            RefreshInterval = host.Options.RotationSchedule.VerifierRefreshInterval,
            MaxStaleAge = maxStaleAge ?? TimeSpan.FromMinutes(10),
            MaxRetries = 0,
        });
        _verifier = new PassportVerifier(_keys, host.Time);
        _policy = new VerificationPolicy(host.IssuerUrl, IssuerHost.Audience);
    }

    public ValueTask<PassportValidationResult> ValidateAsync(string token) => _verifier.ValidateAsync(token, _policy);

    public void Dispose() => _keys.Dispose();
}
