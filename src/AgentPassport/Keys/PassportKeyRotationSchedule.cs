namespace AgentPassport;

/// <summary>
/// How an issuer published over HTTP rotates (spec v1.1 §15): a new key is published in the JWKS for
/// <see cref="ActivationDelay"/> before it signs, long enough for every verifier to see it, whether it refreshes for
/// an unknown <c>kid</c> (at most once per <see cref="VerifierRefreshInterval"/>) or reads a JWKS an HTTP cache kept
/// for <see cref="JwksMaxAge"/>. Checked when it is built.
/// </summary>
public sealed class PassportKeyRotationSchedule
{
    private readonly TimeSpan _verifierRefreshInterval = TimeSpan.FromSeconds(30);
    private readonly TimeSpan _jwksMaxAge = TimeSpan.FromSeconds(30);

    /// <summary>Gets the longest a verifier waits between two JWKS refreshes for an unknown <c>kid</c> (<see cref="RemoteJwksPassportKeyResolverOptions.RefreshInterval"/>).</summary>
    /// <value>Default 30 seconds; 1 s .. 1 day. Set it to the largest refresh interval any of your verifiers uses.</value>
    public TimeSpan VerifierRefreshInterval
    {
        get => _verifierRefreshInterval;
        init => _verifierRefreshInterval = Check(value, TimeSpan.FromSeconds(1), nameof(VerifierRefreshInterval));
    }

    /// <summary>Gets the <c>Cache-Control: max-age</c> the JWKS is served with: how long a client or a shared cache may reuse it.</summary>
    /// <value>Default 30 seconds; 0 .. 1 day.</value>
    public TimeSpan JwksMaxAge
    {
        get => _jwksMaxAge;
        init => _jwksMaxAge = Check(value, TimeSpan.Zero, nameof(JwksMaxAge));
    }

    /// <summary>Gets how long a new key is published before it signs: <see cref="VerifierRefreshInterval"/> + <see cref="JwksMaxAge"/>.</summary>
    public TimeSpan ActivationDelay => VerifierRefreshInterval + JwksMaxAge;

    /// <summary>Publishes the next key of <paramref name="store"/> now; it signs after <see cref="ActivationDelay"/>.</summary>
    /// <param name="store">The issuer's key store.</param>
    /// <returns>The next key (not yet signing).</returns>
    /// <exception cref="InvalidOperationException">A rotation is already pending.</exception>
    public PassportSigningKey Rotate(IScheduledPassportKeyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.ScheduleRotation(ActivationDelay);
    }

    private static TimeSpan Check(TimeSpan value, TimeSpan min, string name) =>
        value >= min && value <= TimeSpan.FromDays(1) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be {min.TotalSeconds:0} s .. 1 day.");
}
