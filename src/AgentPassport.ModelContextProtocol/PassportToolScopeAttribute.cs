namespace AgentPassport.ModelContextProtocol;

/// <summary>Names the concrete scope an MCP server tool requires (on the tool method or its class; the method's wins).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class PassportToolScopeAttribute : Attribute
{
    /// <summary>Initializes the attribute.</summary>
    /// <param name="scope">The concrete scope, for example <c>flights:book</c>.</param>
    /// <exception cref="ArgumentException">The scope is malformed or a pattern.</exception>
    public PassportToolScopeAttribute(string scope)
    {
        if (!PassportScope.TryParse(scope, out var parsed, out var error) || parsed.IsPattern)
        {
            throw new ArgumentException($"The scope '{scope}' must be a concrete scope: {error ?? "a pattern"}.", nameof(scope));
        }

        Scope = scope;
    }

    /// <summary>Gets the scope.</summary>
    public string Scope { get; }
}
