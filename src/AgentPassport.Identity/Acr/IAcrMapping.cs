namespace AgentPassport;

/// <summary>
/// Maps an ID token's <c>acr</c> (authentication context class reference) to NIST SP 800-63-3 assurance levels.
/// Implementations must be exact: an <c>acr</c> they do not recognise returns null and the ID token is refused
/// with <see cref="PassportErrorKind.UnsupportedAcr"/>. A custom mapping can be named in configuration
/// (<c>CSP_ACR_MAPPING</c>) by its assembly-qualified type name; it then needs a public parameterless constructor.
/// </summary>
public interface IAcrMapping
{
    /// <summary>Maps <paramref name="acr"/> to assurance levels.</summary>
    /// <param name="acr">The <c>acr</c> claim value, exactly as in the token.</param>
    /// <returns>The levels, or null when the value is not supported.</returns>
    AssuranceLevels? Map(string acr);
}
