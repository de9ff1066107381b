namespace AgentPassport;

/// <summary>
/// Resolves the requirement of a tool in the one order every adapter uses: the scope map (by tool name), then the scope
/// attached to the tool itself (<c>WithPassportScope</c>), then its <see cref="PassportScopeAttribute"/>, then the adapter's
/// naming convention (Semantic Kernel: <c>&lt;plugin&gt;:&lt;function&gt;</c>); none resolves → every call is denied
/// (<see cref="PassportErrorKind.NoScopeRequirement"/>). The map comes first so a deployment can re-scope a tool without
/// changing its code.
/// </summary>
/// <remarks>Thread-safe: the map is copied and checked when the resolver is built, never changed after.</remarks>
public sealed class PassportToolRequirementResolver
{
    private readonly Dictionary<string, PassportToolRequirement> _map = new(StringComparer.Ordinal);

    /// <summary>Initializes a resolver over a scope map.</summary>
    /// <param name="toolScopes">Scopes by tool name; every value must be a concrete scope.</param>
    /// <exception cref="ArgumentException">A tool name is blank, or a mapped scope is malformed or a pattern.</exception>
    public PassportToolRequirementResolver(IEnumerable<KeyValuePair<string, string>>? toolScopes = null)
    {
        foreach (var (tool, scope) in toolScopes ?? [])
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(tool, nameof(toolScopes));
            _map[tool] = PassportToolRequirement.TryParse(scope, out var requirement, out var error)
                ? requirement
                : throw new ArgumentException($"The scope '{scope}' mapped to tool '{tool}' must be a concrete scope: {error}.", nameof(toolScopes));
        }
    }

    /// <summary>Gets the requirement mapped to <paramref name="toolName"/>, or null.</summary>
    /// <param name="toolName">The tool's name.</param>
    /// <returns>The mapped requirement, or null.</returns>
    public PassportToolRequirement? Mapped(string toolName)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        return _map.GetValueOrDefault(toolName);
    }

    /// <summary>Resolves a tool's requirement, first match wins.</summary>
    /// <param name="toolName">The tool's name (the map's key).</param>
    /// <param name="attachedScope">The scope attached to the tool itself, or null. Attached but not a concrete scope resolves to none (denied), never to a later source.</param>
    /// <param name="attribute">The tool's <see cref="PassportScopeAttribute"/>, or null.</param>
    /// <param name="conventionScope">The adapter's conventional scope for the tool, or null; ignored unless a concrete scope.</param>
    /// <returns>The requirement, or null when none resolves.</returns>
    public PassportToolRequirement? Resolve(string toolName, string? attachedScope = null, PassportScopeAttribute? attribute = null, string? conventionScope = null)
    {
        if (Mapped(toolName) is { } mapped)
        {
            return mapped;
        }

        if (attachedScope is not null)
        {
            return PassportToolRequirement.TryParse(attachedScope, out var attached, out _) ? attached : null;
        }

        if (attribute is not null)
        {
            return attribute.Requirement;
        }

        return PassportToolRequirement.TryParse(conventionScope, out var convention, out _) ? convention : null;
    }
}
