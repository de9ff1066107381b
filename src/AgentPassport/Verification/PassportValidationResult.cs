using System.Diagnostics.CodeAnalysis;

namespace AgentPassport;

/// <summary>
/// The outcome of a non-throwing verification: either a <see cref="VerifiedPassport"/> or a typed <see cref="PassportError"/>.
/// </summary>
public readonly struct PassportValidationResult
{
    private PassportValidationResult(VerifiedPassport? passport, PassportError? error)
    {
        Passport = passport;
        Error = error;
    }

    /// <summary>Gets a value indicating whether every check passed.</summary>
    [MemberNotNullWhen(true, nameof(Passport))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Passport is not null;

    /// <summary>Gets the verified Passport on success.</summary>
    public VerifiedPassport? Passport { get; }

    /// <summary>Gets the error on failure.</summary>
    public PassportError? Error { get; }

    /// <summary>Creates a success.</summary>
    /// <param name="passport">The verified Passport.</param>
    /// <returns>The result.</returns>
    public static PassportValidationResult Success(VerifiedPassport passport) => new(passport ?? throw new ArgumentNullException(nameof(passport)), null);

    /// <summary>Creates a failure.</summary>
    /// <param name="error">The error.</param>
    /// <returns>The result.</returns>
    public static PassportValidationResult Failure(PassportError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>Returns the verified Passport or throws the error.</summary>
    /// <returns>The verified Passport.</returns>
    /// <exception cref="AgentPassportException">The verification failed.</exception>
    public VerifiedPassport ThrowIfFailed() => Succeeded ? Passport : throw new AgentPassportException(Error);
}
