namespace AgentPassport.Tests.Scopes;

/// <summary>Spec §3 scope sets: parsing limits, coverage of a required scope, and attenuation (child ⊆ parent) as named cases.</summary>
public sealed class ScopeSetTests
{
    public static TheoryData<string, string[], string[], bool> Attenuation => new()
    {
        { "empty child under anything", [], ["flights:book"], true },
        { "empty child under empty parent", [], [], true },
        { "anything under empty parent is refused", ["flights:book"], [], false },
        { "equal sets", ["flights:book", "hotels:book"], ["flights:book", "hotels:book"], true },
        { "true subset", ["flights:book"], ["flights:book", "hotels:book"], true },
        { "superset refused", ["flights:book", "hotels:book"], ["flights:book"], false },
        { "concrete under pattern", ["flights:book"], ["flights:*"], true },
        { "deeper pattern under pattern (the reference refused this)", ["a:b:*"], ["a:*"], true },
        { "pattern under deeper pattern refused", ["a:*"], ["a:b:*"], false },
        { "pattern under its concrete prefix refused", ["tools:*"], ["tools:read"], false },
        { "pattern under bare prefix refused", ["tools:*"], ["tools"], false },
        { "bare prefix under pattern refused", ["tools"], ["tools:*"], false },
        { "everything under pattern refused", ["*"], ["flights:*"], false },
        { "pattern under everything", ["flights:*"], ["*"], true },
        { "everything under everything", ["*"], ["*"], true },
        { "case variant refused", ["Flights:book"], ["flights:*"], false },
        { "sibling prefix refused", ["flightsx:book"], ["flights:*"], false },
        { "mixed covered by two parents", ["flights:book", "hotels:book:intl"], ["flights:*", "hotels:book:*"], true },
        { "one uncovered element rejects the whole set", ["flights:book", "cars:rent"], ["flights:*", "hotels:*"], false },
    };

    public static TheoryData<string, string[], string, bool> RequiredScope => new()
    {
        { "exact", ["flights:book"], "flights:book", true },
        { "pattern", ["flights:*"], "flights:book", true },
        { "everything", ["*"], "flights:book", true },
        { "empty covers nothing", [], "flights:book", false },
        { "bare prefix", ["flights"], "flights:book", false },
        { "case", ["Flights:book"], "flights:book", false },
        { "malformed required text", ["*"], "flights:?", false },
        { "literal star required is not a wildcard", ["flights:book"], "*", false },
    };

    [Theory]
    [MemberData(nameof(Attenuation))]
    public void IsAttenuationOf(string name, string[] child, string[] parent, bool expected)
    {
        bool actual = ScopeSet.Parse(child).IsAttenuationOf(ScopeSet.Parse(parent), out var uncovered);

        Assert.True(expected == actual, name);
        if (!actual)
        {
            Assert.Contains(uncovered.Value, child);
            Assert.False(ScopeSet.Parse(parent).Covers(uncovered));
        }
    }

    [Theory]
    [MemberData(nameof(RequiredScope))]
    public void Covers_RequiredScope(string name, string[] granted, string required, bool expected)
    {
        Assert.True(expected == ScopeSet.Parse(granted).Covers(required), name);
    }

    [Fact]
    public void TryParse_RefusesDuplicates()
    {
        Assert.False(ScopeSet.TryParse(["flights:book", "flights:book"], out _, out var error));
        Assert.Contains("twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RefusesMoreThan64Scopes()
    {
        var sixtyFour = Enumerable.Range(0, 64).Select(i => $"s:{i}").ToArray();

        Assert.True(ScopeSet.TryParse(sixtyFour, out var set, out _));
        Assert.Equal(64, set.Count);
        Assert.False(ScopeSet.TryParse([.. sixtyFour, "s:64"], out _, out var error));
        Assert.Contains("64", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RefusesNullListAndNullElement()
    {
        Assert.False(ScopeSet.TryParse(null, out _, out _));
        Assert.False(ScopeSet.TryParse(["a", null], out _, out _));
        Assert.Throws<FormatException>(() => ScopeSet.Parse("a", "b?"));
    }

    [Fact]
    public void Empty_IsSharedAndGrantsNothing()
    {
        Assert.Same(ScopeSet.Empty, ScopeSet.Parse());
        Assert.Empty(ScopeSet.Empty);
        Assert.False(ScopeSet.Empty.ContainsWildcardAll);
        Assert.Equal(string.Empty, ScopeSet.Empty.ToString());
    }

    [Fact]
    public void Set_KeepsOrderAndReportsWildcard()
    {
        var set = ScopeSet.Parse("b:x", "*", "a:*");

        Assert.Equal(["b:x", "*", "a:*"], set.ToStrings());
        Assert.True(set.ContainsWildcardAll);
        Assert.Equal("b:x * a:*", set.ToString());
        Assert.Equal("a:*", set[2].Value);
    }

    [Fact]
    public void Equals_SameScopesSameOrder_AreEqualAndHashAlike_OtherwiseNot()
    {
        var a = ScopeSet.Parse("flights:book", "hotels:*");
        var b = ScopeSet.Parse("flights:book", "hotels:*");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ScopeSet.Parse("hotels:*", "flights:book"));
        Assert.NotEqual(a, ScopeSet.Parse("flights:book"));
        Assert.False(a.Equals(null));
    }

    [Fact]
    public void Passport_DecodedTwice_RecordsCompareEqual()
    {
        using var ctx = new AgentPassport.Tests.Support.PassportTestContext();
        var issued = ctx.IssueAlice();

        Assert.Equal(PassportReader.DecodeUnverified(issued.Token), PassportReader.DecodeUnverified(issued.Token));
    }
}
