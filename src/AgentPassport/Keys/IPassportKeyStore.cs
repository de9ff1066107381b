namespace AgentPassport;

/// <summary>
/// Holds an issuer's signing key and the public keys its Passports verify with. Rotation makes a new signing key
/// current and keeps the previous public keys for verification, so Passports signed before the rotation stay valid until they expire.
/// </summary>
public interface IPassportKeyStore : IPassportKeyResolver
{
    /// <summary>Gets the key new Passports are signed with.</summary>
    PassportSigningKey CurrentSigningKey { get; }

    /// <summary>Gets every public key Passports may verify with, the current one first.</summary>
    IReadOnlyList<PassportVerificationKey> VerificationKeys { get; }

    /// <summary>Generates a new signing key and makes it current; the previous public keys stay trusted for verification.</summary>
    /// <returns>The new key.</returns>
    PassportSigningKey Rotate();
}
