namespace AgentPassport;

/// <summary>The JWS algorithms a Passport may be signed with. <c>none</c> and every <c>HS*</c> are never accepted.</summary>
public static class PassportAlgorithms
{
    /// <summary>ECDSA P-256 with SHA-256, signature as r‖s (the default).</summary>
    public const string ES256 = "ES256";

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    public const string RS256 = "RS256";

    /// <summary>RSASSA-PSS with SHA-256.</summary>
    public const string PS256 = "PS256";

    /// <summary>Gets a value indicating whether the library can sign and verify <paramref name="algorithm"/>.</summary>
    /// <param name="algorithm">The JWS <c>alg</c> value (case-sensitive).</param>
    /// <returns><see langword="true"/> for ES256, RS256 and PS256.</returns>
    public static bool IsSupported(string? algorithm) => algorithm is ES256 or RS256 or PS256;

    /// <summary>Gets a value indicating whether <paramref name="algorithm"/> is one that is never accepted: <c>none</c> or an HMAC (<c>HS*</c>), any case.</summary>
    /// <param name="algorithm">The JWS <c>alg</c> value.</param>
    /// <returns><see langword="true"/> for <c>none</c> and <c>HS*</c>.</returns>
    public static bool IsForbidden(string algorithm) =>
        algorithm.Equals("none", StringComparison.OrdinalIgnoreCase)
        || algorithm.StartsWith("HS", StringComparison.OrdinalIgnoreCase);
}
