using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// Decodes a Passport <em>without verifying it</em>, for display (<c>inspect</c>) and routing only. Never base an
/// authorization decision on its result: use <see cref="PassportVerifier"/>.
/// </summary>
public static class PassportReader
{
    /// <summary>Decodes the claims of <paramref name="token"/> with the same strict parsing the verifier uses, but no signature or policy check.</summary>
    /// <param name="token">The compact token.</param>
    /// <returns>The unverified claims.</returns>
    /// <exception cref="AgentPassportException">The token is not a well-formed Passport (InvalidToken or MalformedClaims).</exception>
    public static Passport DecodeUnverified(string token)
    {
        var parsed = ParsedPassportToken.Parse(token, PassportLimits.MaxTokenBytes, null, out var error);
        if (parsed is null)
        {
            throw new AgentPassportException(error!);
        }

        return parsed.Passport ?? throw new AgentPassportException(new PassportError(PassportErrorKind.MalformedClaims, parsed.SchemaError!));
    }

    /// <summary>Computes the <c>parent_hash</c> a child of <paramref name="token"/> carries: base64url SHA-256 of the compact token.</summary>
    /// <param name="token">The parent's compact token.</param>
    /// <returns>The hash.</returns>
    public static string ComputeParentHash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Segments.Hash(token);
    }
}
