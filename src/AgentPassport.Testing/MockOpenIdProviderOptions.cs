namespace AgentPassport.Testing;

/// <summary>Configures a <see cref="MockOpenIdProvider"/>.</summary>
public sealed class MockOpenIdProviderOptions
{
    /// <summary>Gets or sets the client id the provider knows.</summary>
    /// <value>Default <c>agent-passport-tests</c>.</value>
    public string ClientId { get; set; } = "agent-passport-tests";

    /// <summary>Gets or sets the client secret the token endpoint requires, or null for a public client (PKCE only).</summary>
    /// <value>Default null.</value>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets the clock for issued tokens and code expiry.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the signing algorithm of the provider's keys: RS256, PS256 or ES256.</summary>
    /// <value>Default ES256 (RSA key generation costs up to a second on a small machine; choose RS256 to mirror most CSPs).</value>
    public string Algorithm { get; set; } = "ES256";

    /// <summary>Gets or sets the loopback port, or 0 for a free one (kept across restarts).</summary>
    /// <value>Default 0.</value>
    public int Port { get; set; }
}
