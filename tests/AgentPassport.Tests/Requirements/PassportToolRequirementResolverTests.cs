namespace AgentPassport.Tests.Requirements;

/// <summary>The one precedence order every adapter resolves a tool's requirement by, and the concrete-scope rule.</summary>
public sealed class PassportToolRequirementResolverTests
{
    private static readonly PassportScopeAttribute Attribute = new("from:attribute");

    [Theory]
    [InlineData("flights:book", true)]
    [InlineData("flights:*", false)]
    [InlineData("*", false)]
    [InlineData("flights::book", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TryParse_AcceptsOnlyWellFormedConcreteScopes(string? scope, bool expected)
    {
        Assert.Equal(expected, PassportToolRequirement.TryParse(scope, out var requirement, out var error));
        Assert.Equal(expected, requirement is not null);
        Assert.Equal(expected, error is null);
    }

    [Fact]
    public void Parse_OfAPattern_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => PassportToolRequirement.Parse("flights:*", "scope"));
        Assert.Equal("scope", ex.ParamName);
        Assert.Throws<ArgumentException>(() => new PassportScopeAttribute("*"));
    }

    [Fact]
    public void Resolve_TakesTheMapFirst()
    {
        var resolver = new PassportToolRequirementResolver(new Dictionary<string, string> { ["book"] = "from:map" });

        Assert.Equal("from:map", resolver.Resolve("book", "from:attached", Attribute, "from:convention")!.ToString());
    }

    [Fact]
    public void Resolve_ThenTheAttachedScope_ThenTheAttribute_ThenTheConvention()
    {
        var resolver = new PassportToolRequirementResolver();

        Assert.Equal("from:attached", resolver.Resolve("book", "from:attached", Attribute, "from:convention")!.ToString());
        Assert.Equal("from:attribute", resolver.Resolve("book", null, Attribute, "from:convention")!.ToString());
        Assert.Equal("from:convention", resolver.Resolve("book", null, null, "from:convention")!.ToString());
        Assert.Null(resolver.Resolve("book"));
    }

    [Fact]
    public void Resolve_AnAttachedPattern_ResolvesToNone_NotToALaterSource()
    {
        var resolver = new PassportToolRequirementResolver();

        Assert.Null(resolver.Resolve("book", "flights:*", Attribute, "from:convention"));
        Assert.Null(resolver.Resolve("book", null, null, "flights:*"));
    }

    [Fact]
    public void Construction_WithAMappedPattern_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new PassportToolRequirementResolver(new Dictionary<string, string> { ["book"] = "flights:*" }));
        Assert.Throws<ArgumentException>(() => new PassportToolRequirementResolver(new Dictionary<string, string> { [" "] = "flights:book" }));
    }

    [Fact]
    public void Find_TakesTheMethodsAttribute_ElseTheClasss()
    {
        Assert.Equal("tools:own", PassportScopeAttribute.Find(typeof(ScopedTools).GetMethod(nameof(ScopedTools.Own)))!.Scope);
        Assert.Equal("tools:class", PassportScopeAttribute.Find(typeof(ScopedTools).GetMethod(nameof(ScopedTools.Inherits)))!.Scope);
        Assert.Null(PassportScopeAttribute.Find(typeof(PassportToolRequirementResolverTests).GetMethod(nameof(Resolve_TakesTheMapFirst))));
        Assert.Null(PassportScopeAttribute.Find(null));
    }

    [PassportScope("tools:class")]
    private sealed class ScopedTools
    {
        [PassportScope("tools:own")]
        public static void Own()
        {
        }

        public static void Inherits()
        {
        }
    }
}
