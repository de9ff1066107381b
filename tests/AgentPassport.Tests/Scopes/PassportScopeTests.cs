namespace AgentPassport.Tests.Scopes;

/// <summary>Spec §3 grammar and coverage of one scope, as named cases.</summary>
public sealed class PassportScopeTests
{
    public static TheoryData<string, string> WellFormed => new()
    {
        { "single segment", "flights" },
        { "two segments", "flights:book" },
        { "deep", "a:b:c:d:e" },
        { "allowed punctuation", "tool_x.v2-beta:read" },
        { "digits", "v1:2024" },
        { "trailing wildcard", "flights:*" },
        { "deep trailing wildcard", "flights:book:*" },
        { "wildcard all", "*" },
        { "one-char segments", "a:b" },
        { "max length", new string('a', 128) },
    };

    public static TheoryData<string, string?> Malformed => new()
    {
        { "null", null },
        { "empty", "" },
        { "too long", new string('a', 129) },
        { "leading colon", ":flights" },
        { "trailing colon", "flights:" },
        { "empty middle segment", "flights::book" },
        { "star inside segment", "flights:bo*k" },
        { "star suffix in segment", "flights*" },
        { "star prefix segment", "*:book" },
        { "star in the middle", "flights:*:book" },
        { "double star", "**" },
        { "double star segment", "flights:**" },
        { "question mark", "flights:?" },
        { "question star", "?*" },
        { "character class", "flights:[a-z]" },
        { "negated class", "[!x]*" },
        { "star colon star", "*:*" },
        { "space", "flights book" },
        { "tab", "flights:\tbook" },
        { "newline", "flights:book\n" },
        { "slash", "flights/book" },
        { "cyrillic confusable", "fl\u0456ghts:book" },
        { "fullwidth", "\uFF46lights" },
        { "zero width space", "flights\u200B:book" },
        { "nbsp", "flights\u00A0" },
        { "plus", "a+b" },
    };

    public static TheoryData<string, string, string, bool> Coverage => new()
    {
        { "concrete covers itself", "flights:book", "flights:book", true },
        { "concrete is case-sensitive", "flights:book", "Flights:book", false },
        { "concrete does not cover deeper", "flights:book", "flights:book:intl", false },
        { "concrete does not cover a pattern", "flights:book", "flights:*", false },
        { "pattern covers a child", "flights:*", "flights:book", true },
        { "pattern covers a one-character child", "flights:*", "flights:b", true },
        { "one-character prefix pattern covers a one-character child", "a:*", "a:b", true },
        { "pattern covers a grandchild", "flights:*", "flights:book:intl", true },
        { "pattern covers itself", "flights:*", "flights:*", true },
        { "pattern covers a deeper pattern", "flights:*", "flights:book:*", true },
        { "pattern does not cover its bare prefix", "flights:*", "flights", false },
        { "pattern does not cover a longer first segment", "flights:*", "flightsx:book", false },
        { "pattern does not cover a shorter first segment", "flights:*", "flight:book", false },
        { "pattern does not cover a sibling", "flights:*", "hotels:book", false },
        { "deeper pattern does not cover a shallower one", "flights:book:*", "flights:*", false },
        { "deeper pattern does not cover a sibling branch", "flights:book:*", "flights:cancel", false },
        { "pattern does not cover everything", "flights:*", "*", false },
        { "everything covers a concrete scope", "*", "flights:book", true },
        { "everything covers a pattern", "*", "flights:*", true },
        { "everything covers everything", "*", "*", true },
        { "concrete does not cover everything", "flights", "*", false },
    };

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void TryParse_AcceptsWellFormedScope(string name, string text)
    {
        Assert.True(PassportScope.TryParse(text, out var scope, out var error), $"{name}: {error}");
        Assert.Equal(text, scope.Value);
        Assert.Equal(text, PassportScope.Parse(text).ToString());
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryParse_RefusesMalformedScope(string name, string? text)
    {
        Assert.False(PassportScope.TryParse(text, out _, out var error), name);
        Assert.False(string.IsNullOrEmpty(error));
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => PassportScope.Parse(text));
        }
    }

    [Theory]
    [MemberData(nameof(Coverage))]
    public void Covers(string name, string granted, string requested, bool expected)
    {
        Assert.True(expected == PassportScope.Parse(granted).Covers(PassportScope.Parse(requested)), name);
    }

    [Theory]
    [InlineData("*", true, true)]
    [InlineData("a:*", false, true)]
    [InlineData("a:b", false, false)]
    public void WildcardFlags(string text, bool isWildcardAll, bool isPattern)
    {
        var scope = PassportScope.Parse(text);

        Assert.Equal(isWildcardAll, scope.IsWildcardAll);
        Assert.Equal(isPattern, scope.IsPattern);
    }

    [Fact]
    public void Default_HasNoValue()
    {
        Assert.Throws<InvalidOperationException>(() => default(PassportScope).Value);
        Assert.Throws<ArgumentNullException>(() => PassportScope.Parse(null!));
    }
}
