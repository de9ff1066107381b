namespace AgentPassport;

/// <summary>Finds an <see cref="IAcrMapping"/> by its configuration name (<c>CSP_ACR_MAPPING</c>).</summary>
public static class AcrMappings
{
    /// <summary>The configuration name of the built-in <see cref="IalAcrMapping"/> (case-insensitive); the default.</summary>
    public const string IalName = "ial";

    /// <summary>
    /// Resolves a mapping name: empty or <c>ial</c> (any case) is the built-in <see cref="IalAcrMapping"/>; anything
    /// else is an assembly-qualified type name (<c>Namespace.Type, Assembly</c>) of a class implementing
    /// <see cref="IAcrMapping"/> with a public parameterless constructor.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <returns>The mapping.</returns>
    /// <exception cref="ArgumentException">The type cannot be loaded, does not implement <see cref="IAcrMapping"/> or cannot be created.</exception>
    /// <remarks>Loading a type by name runs that assembly's code: the name must come from trusted configuration only.</remarks>
    public static IAcrMapping Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Equals(IalName, StringComparison.OrdinalIgnoreCase))
        {
            return IalAcrMapping.Instance;
        }

        Type? type;
        try
        {
            type = Type.GetType(name.Trim(), throwOnError: false);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or BadImageFormatException or TypeLoadException)
        {
            throw new ArgumentException($"Could not load the ACR mapping type '{name}': {ex.Message}", nameof(name), ex);
        }

        if (type is null)
        {
            throw new ArgumentException($"Unknown ACR mapping '{name}': use 'ial' or an assembly-qualified type name implementing IAcrMapping.", nameof(name));
        }

        if (!typeof(IAcrMapping).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new ArgumentException($"The ACR mapping type '{type.FullName}' must be a concrete class implementing IAcrMapping with a public parameterless constructor.", nameof(name));
        }

        try
        {
            return (IAcrMapping)Activator.CreateInstance(type)!;
        }
        catch (System.Reflection.TargetInvocationException ex)
        {
            throw new ArgumentException($"Could not create the ACR mapping '{type.FullName}': {ex.InnerException?.Message}", nameof(name), ex);
        }
    }

    /// <summary>Wraps a function as a mapping (null = unsupported).</summary>
    /// <param name="map">The function.</param>
    /// <returns>The mapping.</returns>
    public static IAcrMapping FromFunc(Func<string, AssuranceLevels?> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new FuncAcrMapping(map);
    }

    private sealed class FuncAcrMapping(Func<string, AssuranceLevels?> map) : IAcrMapping
    {
        public AssuranceLevels? Map(string acr) => map(acr);
    }
}
