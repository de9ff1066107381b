using System.Reflection;
using System.Runtime.CompilerServices;

namespace AgentPassport.ConventionTests.Support;

/// <summary>What a user of a package can see: its visible types and their public or protected members.</summary>
internal static class PublicSurface
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static IEnumerable<Type> Types(IEnumerable<Assembly> assemblies) =>
        assemblies.SelectMany(a => a.GetExportedTypes()).OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>Methods a user can call or override, without property accessors, operators' plumbing or compiler-made members.</summary>
    public static IEnumerable<MethodInfo> Methods(Type type) =>
        type.GetMethods(Declared).Where(m => IsVisible(m) && !m.IsSpecialName && !IsCompilerGenerated(m));

    public static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(Declared).Where(p => p.GetAccessors(nonPublic: true).Any(IsVisible) && !IsCompilerGenerated(p));

    public static IEnumerable<FieldInfo> Fields(Type type) =>
        type.GetFields(Declared).Where(f => (f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly) && !IsCompilerGenerated(f));

    /// <summary>A member's name as the allow-lists spell it: <c>Namespace.Type.Member</c>.</summary>
    public static string NameOf(MemberInfo member) => $"{member.DeclaringType!.FullName}.{member.Name}";

    private static bool IsVisible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    // Records get members such as <Clone>$ and EqualityContract from the compiler; their shape is not ours to choose.
    private static bool IsCompilerGenerated(MemberInfo member) =>
        member.Name.Contains('<', StringComparison.Ordinal)
        || member.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);
}
