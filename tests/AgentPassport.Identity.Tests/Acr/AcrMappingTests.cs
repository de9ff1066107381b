namespace AgentPassport.Identity.Tests.Acr;

public sealed class AcrMappingTests
{
    private const string Ial = "http://idmanagement.gov/ns/assurance/ial/";
    private const string Loa = "http://idmanagement.gov/ns/assurance/loa/";

    [Theory]
    [InlineData(Ial + "1", 1)]
    [InlineData(Ial + "2", 2)]
    [InlineData(Ial + "3", 3)]
    [InlineData(Loa + "1", 1)]
    [InlineData(Loa + "3", 2)]
    public void Ial_KnownValue_MapsAllThreeLevels(string acr, int level)
    {
        var levels = IalAcrMapping.Instance.Map(acr);

        Assert.Equal(new AssuranceLevels(level, level, level), levels);
    }

    [Theory]
    [InlineData(Ial + "0")]
    [InlineData(Ial + "4")]
    [InlineData(Ial + "02")]
    [InlineData(Ial + "+2")]
    [InlineData(Ial + " 2")]
    [InlineData(Ial + "2 ")]
    [InlineData(Ial + "2/")]
    [InlineData(Ial + "abc")]
    [InlineData(Loa + "2")]
    [InlineData("https://idmanagement.gov/ns/assurance/ial/2")]
    [InlineData("HTTP://IDMANAGEMENT.GOV/ns/assurance/ial/2")]
    [InlineData("urn:example:ial2")]
    [InlineData("")]
    public void Ial_AnythingElse_IsUnsupported(string acr)
    {
        Assert.Null(IalAcrMapping.Instance.Map(acr));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ial")]
    [InlineData("IAL")]
    [InlineData("Ial")]
    public void Resolve_IalInAnyCaseOrEmpty_IsBuiltIn(string? name)
    {
        Assert.Same(IalAcrMapping.Instance, AcrMappings.Resolve(name));
    }

    [Fact]
    public void Resolve_AssemblyQualifiedTypeName_CreatesCustomMapping()
    {
        var mapping = AcrMappings.Resolve(typeof(GoldAcrMapping).AssemblyQualifiedName);

        Assert.IsType<GoldAcrMapping>(mapping);
        Assert.Equal(new AssuranceLevels(3, 2, 1), mapping.Map("urn:test:gold"));
    }

    [Theory]
    [InlineData("No.Such.Type, NoSuchAssembly")]
    [InlineData("pkg.module:func")]
    [InlineData("System.String")]
    public void Resolve_UnknownOrWrongType_ThrowsArgumentException(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => AcrMappings.Resolve(name));
        Assert.Contains(name.Split(',')[0], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFunc_NullResult_IsUnsupported()
    {
        var mapping = AcrMappings.FromFunc(acr => acr == "gold" ? new AssuranceLevels(2, 2, 2) : null);

        Assert.Equal(2, mapping.Map("gold")!.Ial);
        Assert.Null(mapping.Map("silver"));
    }
}

/// <summary>A custom mapping loaded by name in the tests.</summary>
public sealed class GoldAcrMapping : IAcrMapping
{
    public AssuranceLevels? Map(string acr) => acr == "urn:test:gold" ? new AssuranceLevels(3, 2, 1) : null;
}
