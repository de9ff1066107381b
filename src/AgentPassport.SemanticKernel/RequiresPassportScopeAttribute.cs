namespace AgentPassport.SemanticKernel;

/// <summary>
/// Names the Passport scope a kernel function requires instead of the default <c>&lt;plugin&gt;:&lt;function&gt;</c>.
/// An entry in <see cref="AgentPassportOptions.FunctionScopes"/> takes precedence over the attribute.
/// </summary>
/// <example><code>[KernelFunction, RequiresPassportScope("travel:flights:book")] public string Book(string flight) =&gt; ...;</code></example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RequiresPassportScopeAttribute : Attribute
{
    /// <summary>Initializes the attribute.</summary>
    /// <param name="scope">A concrete scope (no <c>*</c>).</param>
    /// <exception cref="ArgumentException">The scope is malformed or a pattern.</exception>
    public RequiresPassportScopeAttribute(string scope)
    {
        Scope = ScopeRequirement.Check(scope, nameof(scope));
    }

    /// <summary>Gets the required scope.</summary>
    public string Scope { get; }
}
