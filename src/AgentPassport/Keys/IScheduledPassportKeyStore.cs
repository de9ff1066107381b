namespace AgentPassport;

/// <summary>
/// A key store that rotates publish-then-activate (spec v1.1 §15): the next key is published with the verification
/// keys at once, and only signs from its activation time on (by the store's injected clock). Verifiers that refresh
/// their JWKS at least once in between never meet a token whose key they have not seen.
/// </summary>
public interface IScheduledPassportKeyStore : IPassportKeyStore
{
    /// <summary>Gets when the published next key starts signing, or null when no rotation is pending.</summary>
    DateTimeOffset? PendingActivation { get; }

    /// <summary>
    /// Generates the next signing key, publishes its public key in <see cref="IPassportKeyStore.VerificationKeys"/> now,
    /// and makes it current once <paramref name="activationDelay"/> has passed. The current key keeps signing until then,
    /// and stays published afterwards so the Passports it signed verify until they expire.
    /// </summary>
    /// <param name="activationDelay">How long the key is published before it signs; see <see cref="PassportKeyRotationSchedule.ActivationDelay"/>.</param>
    /// <returns>The next key (not yet signing).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The delay is negative.</exception>
    /// <exception cref="InvalidOperationException">A rotation is already pending: wait for its activation, or call <see cref="IPassportKeyStore.Rotate"/> for an immediate (compromise) rotation.</exception>
    PassportSigningKey ScheduleRotation(TimeSpan activationDelay);
}
