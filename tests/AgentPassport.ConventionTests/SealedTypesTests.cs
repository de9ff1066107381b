using AgentPassport.ConventionTests.Support;

namespace AgentPassport.ConventionTests;

/// <summary>
/// Public classes are sealed or static unless they are designed for inheritance: a class left open by accident becomes
/// a promise that subclasses keep working, and a subclass can override what a security check relies on.
/// </summary>
public sealed class SealedTypesTests
{
    private static readonly AllowList DesignedForInheritance = new("Public classes are sealed or static", new Dictionary<string, string>
    {
    });

    [Fact]
    public void Public_classes_are_sealed_or_static_unless_designed_for_inheritance()
    {
        Assert.Contains(typeof(PassportVerifier), PublicSurface.Types(SourceProjects.Assemblies));
        DesignedForInheritance.Check(PublicSurface.Types(SourceProjects.Assemblies).Where(IsOpenClass).Select(t => t.FullName!));
    }

    [Fact]
    public void The_check_sees_an_open_class_and_passes_sealed_static_and_non_classes()
    {
        Assert.True(IsOpenClass(typeof(OpenSample)));
        Assert.True(IsOpenClass(typeof(AbstractSample)));
        Assert.False(IsOpenClass(typeof(SealedSample)));
        Assert.False(IsOpenClass(typeof(StaticSample)));
        Assert.False(IsOpenClass(typeof(IComparable)));
        Assert.False(IsOpenClass(typeof(DayOfWeek)));
        Assert.False(IsOpenClass(typeof(Action)));
        Assert.False(IsOpenClass(typeof(DateTimeOffset)));
    }

    internal static bool IsOpenClass(Type type) =>
        type.IsClass && !type.IsSealed && !typeof(Delegate).IsAssignableFrom(type);

    public class OpenSample;

    public abstract class AbstractSample;

    public sealed class SealedSample;

    public static class StaticSample;
}
