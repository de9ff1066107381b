using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>Spec §5 step 4, v1.1 §10: the token's <c>iss</c> is one the policy trusts.</summary>
internal static class IssuerRule
{
    /// <summary>Gets a value indicating whether the policy trusts <paramref name="issuer"/>.</summary>
    public static bool Trusts(string issuer, VerificationPolicy policy) => policy.Issuers.Contains(issuer);

    /// <summary>Checks <paramref name="issuer"/> against the policy; null when trusted.</summary>
    public static PassportError? Check(string issuer, VerificationPolicy policy) => Trusts(issuer, policy) ? null : Untrusted(issuer);

    /// <summary>The <see cref="PassportErrorKind.UntrustedIssuer"/> error for <paramref name="issuer"/>.</summary>
    public static PassportError Untrusted(string issuer) =>
        new(PassportErrorKind.UntrustedIssuer, $"the issuer '{ParsedPassportToken.Truncate(issuer)}' is not trusted", details: new PassportErrorDetails { Issuer = issuer });
}
