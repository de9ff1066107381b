namespace AgentPassport;

/// <content>The scope rule for tool advertising: whether a verified Passport covers a tool's requirement.</content>
public sealed partial class PassportAuthorizer
{
    /// <summary>
    /// Gets a value indicating whether a verified Passport covers <paramref name="requiredScope"/> by the same rule
    /// <see cref="AuthorizeAsync"/> applies (a concrete, well-formed scope that the Passport covers). For tool advertising.
    /// </summary>
    /// <param name="passport">The verified Passport.</param>
    /// <param name="requiredScope">The tool's required scope, or null.</param>
    /// <returns><see langword="true"/> when a call would pass the scope check.</returns>
    public static bool Covers(VerifiedPassport passport, string? requiredScope)
    {
        ArgumentNullException.ThrowIfNull(passport);
        return PassportToolRequirement.TryParse(requiredScope, out var requirement, out _) && requirement.IsGrantedBy(passport.Passport.ToolScope);
    }

    /// <summary>Gets a value indicating whether a verified Passport grants <paramref name="requirement"/> (null: never). For tool advertising.</summary>
    /// <param name="passport">The verified Passport.</param>
    /// <param name="requirement">The tool's requirement, or null.</param>
    /// <returns><see langword="true"/> when a call would pass the scope check.</returns>
    public static bool Covers(VerifiedPassport passport, PassportToolRequirement? requirement)
    {
        ArgumentNullException.ThrowIfNull(passport);
        return requirement is not null && requirement.IsGrantedBy(passport.Passport.ToolScope);
    }
}
