namespace AgentPassport;

/// <summary>The outcome of a successful <see cref="LoopbackLogin"/>: the ID token, already validated (nonce included).</summary>
public sealed class LoginResult
{
    internal LoginResult(string idToken, string? accessToken, IdentityAssertion identity)
    {
        IdToken = idToken;
        AccessToken = accessToken;
        Identity = identity;
    }

    /// <summary>Gets the validated ID token. Treat it as a secret; never log it.</summary>
    public string IdToken { get; }

    /// <summary>Gets the access token, if the provider returned one. Treat it as a secret.</summary>
    public string? AccessToken { get; }

    /// <summary>Gets the identity the ID token asserts.</summary>
    public IdentityAssertion Identity { get; }

    /// <inheritdoc />
    public override string ToString() => $"LoginResult {{ Subject = {Identity.Subject}, Issuer = {Identity.Issuer}, Acr = {Identity.Acr} }}";
}
