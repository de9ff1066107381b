using AgentPassport.Integrations.Tests.HeldOut.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentPassport.Integrations.Tests.HeldOut;

/// <summary>
/// Issue 12 "also fix": the text a model reads names the real error kind (expired, wrong audience, no Passport), not
/// always "requires scope X", and carries no details unless IncludeDetailedDenials is set.
/// </summary>
[Trait("Category", "HeldOut")]
public sealed class DenialTextTests
{
    public static TheoryData<string> Failures() => ["expired", "audience", "none"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task MEAI_denial_text_names_the_real_kind_without_details(string failure)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var context = Context(w, failure);
        var model = new ScriptedChatClient("carol", ["flights_book"]).WithTravelItem();
        using var client = new ChatClientBuilder(model).UseAgentPassport(w.Authorizer, context, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync("go", new ChatOptions { Tools = [.. w.Tools()] });

        Assert.Equal(0, w.Bodies.Total);
        AssertNamesKindOnly(Assert.Single(response.Messages.GetPassportDenials()));
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task SK_denial_text_names_the_real_kind_without_details(string failure)
    {
        using var w = await HeldOutWorld.CreateAsync();
        var kernel = w.AgentKernel(Context(w, failure));

        var result = await kernel.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });

        Assert.Equal(0, w.Bodies.Total);
        AssertNamesKindOnly(Assert.IsType<PassportDenial>(result.GetPassportDenial()));
    }

    private static PassportContext? Context(HeldOutWorld w, string failure)
    {
        switch (failure)
        {
            case "expired":
                w.F.Time.Advance(TimeSpan.FromMinutes(3));   // Carol's Passport lives 2 minutes
                return w.Carol;
            case "audience":
                return new PassportContext(w.Carol.Token, w.Carol.ChainTokens, "https://elsewhere.example.com/");
            default:
                return null;
        }
    }

    private static void AssertNamesKindOnly(PassportDenial denial)
    {
        Assert.NotEqual(PassportErrorKind.ScopeViolation, denial.Error.Kind);
        Assert.Contains(denial.Error.Kind.ToString(), denial.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(denial.Error.Message, denial.Message, StringComparison.Ordinal);
    }
}
