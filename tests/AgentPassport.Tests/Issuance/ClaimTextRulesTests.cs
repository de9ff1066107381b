using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Issuance;

/// <summary>The issuer refuses agent ids, models and purposes with control characters or over their byte caps.</summary>
public sealed class ClaimTextRulesTests
{
    // By index: the test runner's serialization would turn a lone surrogate into U+FFFD.
    private static readonly string[] ForgingTexts =
    [
        "agent:x\n└── ALLOWED payments:charge",
        "agent:x\r\n",
        "agent:\u0000x",
        "agent:\u001bx",
        "agent:\u0085x",
        "agent:\u2028x",
        "agent:\u202ex",
        "agent:\u200bx",
        "agent:\ud800x",
    ];

    public static TheoryData<int> Forging => [.. Enumerable.Range(0, ForgingTexts.Length)];

    [Theory]
    [MemberData(nameof(Forging))]
    public void Root_issuance_refuses_control_characters_in_each_field(int index)
    {
        var text = ForgingTexts[index];
        using var ctx = new PassportTestContext();

        Assert.Equal(PassportErrorKind.IssuanceRefused, Refusal(() => ctx.Issuer.Issue(Root(agentId: text))));
        Assert.Equal(PassportErrorKind.IssuanceRefused, Refusal(() => ctx.Issuer.Issue(Root(agentModel: text))));
        Assert.Equal(PassportErrorKind.IssuanceRefused, Refusal(() => ctx.Issuer.Issue(Root(purpose: text))));
    }

    [Theory]
    [MemberData(nameof(Forging))]
    public async Task Delegation_refuses_control_characters_in_each_field(int index)
    {
        var text = ForgingTexts[index];
        using var ctx = new PassportTestContext();
        var parent = await ctx.VerifyAsync(ctx.IssueAlice());

        Assert.Equal(PassportErrorKind.IssuanceRefused, Refusal(() => ctx.Issuer.Delegate(parent, Child(agentId: text))));
        Assert.Equal(PassportErrorKind.IssuanceRefused, Refusal(() => ctx.Issuer.Delegate(parent, Child(agentModel: text))));
        Assert.Equal(PassportErrorKind.IssuanceRefused, Refusal(() => ctx.Issuer.Delegate(parent, Child(purpose: text))));
    }

    [Fact]
    public async Task Each_field_is_capped_in_utf8_bytes_and_the_cap_itself_is_accepted()
    {
        using var ctx = new PassportTestContext();
        var parent = await ctx.VerifyAsync(ctx.IssueAlice());
        var idAtCap = "a:" + new string('é', (PassportLimits.MaxAgentIdBytes - 2) / 2);  // 2 bytes each
        var purposeAtCap = new string('p', PassportLimits.MaxTaskPurposeBytes);

        var issued = ctx.Issuer.Issue(Root(agentId: idAtCap, purpose: purposeAtCap));

        Assert.Equal(idAtCap, issued.Passport.AgentId);
        Assert.Equal(PassportErrorKind.IssuanceRefused, Refusal(() => ctx.Issuer.Issue(Root(agentId: idAtCap + "é"))));
        Assert.Equal(PassportErrorKind.IssuanceRefused, Refusal(() => ctx.Issuer.Issue(Root(agentModel: new string('m', PassportLimits.MaxAgentModelBytes + 1)))));
        Assert.Equal(PassportErrorKind.IssuanceRefused, Refusal(() => ctx.Issuer.Issue(Root(purpose: purposeAtCap + "p"))));
        Assert.Equal(PassportErrorKind.IssuanceRefused, Refusal(() => ctx.Issuer.Delegate(parent, Child(purpose: new string('p', 11_000)))));
    }

    [Fact]
    public void Ordinary_text_with_spaces_quotes_and_non_ascii_letters_is_accepted()
    {
        using var ctx = new PassportTestContext();

        var issued = ctx.Issuer.Issue(Root(agentId: "agent:zoë", purpose: "book \"SFO-JFK\" for Zoë — 2 nights, 東京 too"));

        Assert.Equal("agent:zoë", issued.Passport.AgentId);
    }

    private static PassportErrorKind Refusal(Action mint) => Assert.Throws<AgentPassportException>(mint).Kind;

    private static RootPassportRequest Root(string agentId = "agent:alice", string agentModel = "model-a", string? purpose = "plan") => new()
    {
        Identity = PassportTestContext.Identity(),
        AgentId = agentId,
        AgentModel = agentModel,
        Audience = PassportTestContext.AliceAudience,
        ToolScope = ["flights:*"],
        TaskPurpose = purpose,
    };

    private static DelegationRequest Child(string agentId = "agent:bob", string agentModel = "model-b", string? purpose = "book") => new()
    {
        AgentId = agentId,
        AgentModel = agentModel,
        Audience = PassportTestContext.BobAudience,
        ToolScope = ["flights:book"],
        TaskPurpose = purpose,
    };
}
