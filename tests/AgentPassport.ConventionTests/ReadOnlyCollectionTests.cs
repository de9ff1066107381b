using System.Collections;
using System.Collections.ObjectModel;
using System.Reflection;
using AgentPassport.ConventionTests.Support;

namespace AgentPassport.ConventionTests;

/// <summary>
/// No public property or field hands out a mutable collection (an array, a <see cref="List{T}"/>, a
/// <see cref="Dictionary{TKey, TValue}"/>, an <see cref="IList{T}"/>…): whoever holds the object could change what a
/// verified Passport or a policy says. They expose <c>IReadOnly*</c> types, immutable or frozen collections instead.
/// </summary>
public sealed class ReadOnlyCollectionTests
{
    // The scope maps are configuration filled in during setup (the options pattern: options.ToolScopes["tool"] = "scope",
    // collection initializers); each adapter copies and checks its map once, before the first call, so a later change has
    // no effect on enforcement. Making them read-only would break every setup; the scope-map redesign (one name, one
    // requirement type: issue 14, item 3) replaces them.
    private const string SetupScopeMap =
        "setup-time scope map (options pattern), copied and checked once before the first call; replaced by the one-requirement redesign";

    private static readonly AllowList Mutable = new("No public mutable collections", new Dictionary<string, string>
    {
        ["AgentPassport.AgentFramework.PassportAgentOptions.ToolScopes"] = SetupScopeMap,
        ["AgentPassport.Extensions.AI.PassportChatClient.ToolScopes"] = SetupScopeMap,
        ["AgentPassport.ModelContextProtocol.PassportMcpOptions.ToolScopes"] = SetupScopeMap,
        ["AgentPassport.SemanticKernel.PassportKernelOptions.ToolScopes"] = SetupScopeMap,
        ["AgentPassport.Testing.ScriptedChatClient.Arguments"] =
            "a test double's script: the arguments its function calls carry, filled in before use (e.g. .WithTravelItem())",
        ["AgentPassport.AgentPassportBuilder.Services"] =
            "the service collection being configured, as IHostApplicationBuilder.Services: a builder exists to add to it",
    });

    [Fact]
    public void Public_properties_and_fields_expose_no_mutable_collection()
    {
        var members = PublicSurface.Types(SourceProjects.Assemblies).SelectMany(t =>
            PublicSurface.Properties(t).Select(p => (Member: (MemberInfo)p, Type: p.PropertyType))
                .Concat(PublicSurface.Fields(t).Select(f => (Member: (MemberInfo)f, Type: f.FieldType)))).ToList();
        Assert.Contains(members, m => m.Member.DeclaringType == typeof(DelegationTree) && m.Member.Name == nameof(DelegationTree.Principals));
        Mutable.Check(members.Where(m => IsMutableCollection(m.Type)).Select(m => PublicSurface.NameOf(m.Member)));
    }

    [Fact]
    public void The_check_tells_mutable_from_read_only_collections()
    {
        Assert.True(IsMutableCollection(typeof(string[])));
        Assert.True(IsMutableCollection(typeof(List<string>)));
        Assert.True(IsMutableCollection(typeof(IList<string>)));
        Assert.True(IsMutableCollection(typeof(ICollection<string>)));
        Assert.True(IsMutableCollection(typeof(Dictionary<string, int>)));
        Assert.True(IsMutableCollection(typeof(IDictionary<string, int>)));
        Assert.True(IsMutableCollection(typeof(ISet<string>)));
        Assert.True(IsMutableCollection(typeof(ArrayList)));

        Assert.False(IsMutableCollection(typeof(string)));
        Assert.False(IsMutableCollection(typeof(IEnumerable<string>)));
        Assert.False(IsMutableCollection(typeof(IReadOnlyList<string>)));
        Assert.False(IsMutableCollection(typeof(IReadOnlyDictionary<string, int>)));
        Assert.False(IsMutableCollection(typeof(IReadOnlySet<string>)));
        Assert.False(IsMutableCollection(typeof(ReadOnlyCollection<string>)));
        Assert.False(IsMutableCollection(typeof(System.Collections.Immutable.ImmutableArray<string>)));
        Assert.False(IsMutableCollection(typeof(System.Collections.Frozen.FrozenSet<string>)));
        Assert.False(IsMutableCollection(typeof(ReadOnlyMemory<byte>)));
    }

    private static bool IsMutableCollection(Type type)
    {
        if (type.IsArray)
        {
            return true;
        }

        if (IsKnownReadOnly(type))
        {
            return false;
        }

        var interfaces = type.IsInterface ? type.GetInterfaces().Append(type) : type.GetInterfaces();
        return interfaces.Any(i =>
            (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollection<>))
            || i == typeof(IList)
            || i == typeof(IDictionary));
    }

    // These implement ICollection<T> for compatibility but refuse every change.
    private static bool IsKnownReadOnly(Type type)
    {
        if (type.Namespace is "System.Collections.Immutable" or "System.Collections.Frozen")
        {
            return true;
        }

        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return definition == typeof(ReadOnlyCollection<>)
            || definition == typeof(ReadOnlyDictionary<,>)
            || definition == typeof(ReadOnlySet<>)
            || definition == typeof(ReadOnlyObservableCollection<>);
    }
}
