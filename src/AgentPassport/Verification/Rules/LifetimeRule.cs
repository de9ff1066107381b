namespace AgentPassport;

/// <summary>
/// Spec §5 step 4: <c>nbf</c> and <c>iat</c> not after <c>exp</c>, the lifetime within the policy's cap, not expired,
/// not yet valid or issued in the future beyond the policy's clock skew.
/// </summary>
internal static class LifetimeRule
{
    /// <summary>Checks the token times at <paramref name="now"/>; null when they pass.</summary>
    public static PassportError? Check(Passport p, VerificationPolicy policy, DateTimeOffset now)
    {
        if (p.NotBefore > p.ExpiresAt || p.IssuedAt > p.ExpiresAt)
        {
            return new(PassportErrorKind.MalformedClaims, "nbf and iat must not be after exp");
        }

        if (p.ExpiresAt - p.IssuedAt > policy.MaxLifetime)
        {
            return new(PassportErrorKind.MalformedClaims, $"the lifetime (exp - iat) exceeds {policy.MaxLifetime.TotalHours:0.##} h");
        }

        // Differences, never sums: exp + skew overflows for an exp near 9999-12-31 (two instants always differ by a TimeSpan).
        var skew = policy.ClockSkew;
        if (now - p.ExpiresAt > skew)
        {
            return new(PassportErrorKind.Expired, $"expired at {UtcTime.Format(p.ExpiresAt)} (now {UtcTime.Format(now)})");
        }

        if (p.NotBefore - now > skew)
        {
            return new(PassportErrorKind.NotYetValid, $"not valid before {UtcTime.Format(p.NotBefore)} (now {UtcTime.Format(now)})");
        }

        if (p.IssuedAt - now > skew)
        {
            return new(PassportErrorKind.NotYetValid, $"issued in the future at {UtcTime.Format(p.IssuedAt)} (now {UtcTime.Format(now)})");
        }

        return null;
    }
}
