using System.Reflection;

namespace AgentPassport;

/// <summary>
/// Names the concrete scope a tool requires, on the tool's method or its class (the method's wins). Honoured by every
/// adapter: Semantic Kernel functions, Microsoft.Extensions.AI functions created from methods, and MCP server tools.
/// </summary>
/// <example><code>[KernelFunction, PassportScope("flights:book")] public string Book(string flight) =&gt; ...;</code></example>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class PassportScopeAttribute : Attribute
{
    /// <summary>Initializes the attribute.</summary>
    /// <param name="scope">The concrete scope, for example <c>flights:book</c>.</param>
    /// <exception cref="ArgumentException">The scope is malformed or a pattern.</exception>
    public PassportScopeAttribute(string scope)
    {
        Requirement = PassportToolRequirement.Parse(scope, nameof(scope));
    }

    /// <summary>Gets the required scope.</summary>
    public string Scope => Requirement.Scope.Value;

    /// <summary>Gets the requirement.</summary>
    public PassportToolRequirement Requirement { get; }

    /// <summary>Gets the attribute on <paramref name="method"/>, else on its declaring class, or null.</summary>
    /// <param name="method">The tool's method, or null.</param>
    /// <returns>The attribute, or null.</returns>
    public static PassportScopeAttribute? Find(MethodInfo? method) =>
        method is null
            ? null
            : method.GetCustomAttribute<PassportScopeAttribute>(inherit: true) ?? method.DeclaringType?.GetCustomAttribute<PassportScopeAttribute>(inherit: true);
}
