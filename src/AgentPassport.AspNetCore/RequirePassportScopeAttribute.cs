using Microsoft.AspNetCore.Authorization;

namespace AgentPassport.AspNetCore;

/// <summary>
/// Requires the request's Passport to allow a scope: the controller or action attribute form of
/// <c>RequirePassportScope(…)</c> (the same <see cref="PassportScopeRequirement"/>, the same single decision and audit
/// record), authenticated by the default Agent Passport scheme.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RequirePassportScopeAttribute : AuthorizeAttribute, IAuthorizationRequirementData
{
    private readonly PassportScopeRequirement _requirement;

    /// <summary>Initializes the attribute.</summary>
    /// <param name="scope">The concrete scope required.</param>
    /// <exception cref="ArgumentException">The scope is not a concrete scope.</exception>
    public RequirePassportScopeAttribute(string scope)
    {
        _requirement = new PassportScopeRequirement(scope);
        AuthenticationSchemes = PassportHttpWire.ChallengeScheme;
    }

    /// <summary>Gets the concrete scope required.</summary>
    public string Scope => _requirement.Scope;

    /// <inheritdoc />
    public IEnumerable<IAuthorizationRequirement> GetRequirements() => [_requirement];
}
