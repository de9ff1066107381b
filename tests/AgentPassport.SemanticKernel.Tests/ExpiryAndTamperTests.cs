using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

/// <summary>A Passport that stops being valid is denied on every path, even after an earlier allow was cached.</summary>
public sealed class ExpiryAndTamperTests
{
    [Theory]
    [InlineData(InvocationPath.SkAutoInvocation)]
    [InlineData(InvocationPath.SkAutoInvocationStreaming)]
    [InlineData(InvocationPath.DirectKernelInvoke)]
    [InlineData(InvocationPath.MeaiLoopWithKernelFunctions)]
    [InlineData(InvocationPath.PluginAsAIFunctions)]
    [InlineData(InvocationPath.KernelBoundAsAIFunction)]
    [InlineData(InvocationPath.AgentFrameworkChatClientAgent)]
    public async Task ExpiredPassport_IsDenied_EvenAfterACachedAllow(InvocationPath path)
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        await PathRunner.RunAsync(path, f, carol, "flights.book");
        Assert.Equal(1, f.Counters.Runs("flights.book"));

        // Carol's TTL is 2 minutes; the policy's skew is 30 s.
        f.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(31));
        await PathRunner.RunAsync(path, f, carol, "flights.book");

        Assert.Equal(1, f.Counters.Runs("flights.book"));
        var last = f.Sink.Events[^1];
        Assert.Equal(PassportAuditEventKind.Denied, last.Kind);
        Assert.Equal(PassportErrorKind.Expired, last.ErrorKind);
    }

    [Fact]
    public async Task CachedAllow_EndsAtTheEarliestExpiryInTheChain_NotAfterTheSkew()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        await carol.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });

        // Past exp but within the skew: the cache must not answer; a fresh verification (which allows skew) does.
        f.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(10));
        await carol.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });

        Assert.Equal(2, f.Counters.Runs("flights.book"));
    }

    public static TheoryData<string, PassportErrorKind> Tampering() => new()
    {
        { "signature", PassportErrorKind.InvalidSignature },
        { "payload", PassportErrorKind.InvalidSignature },
        { "chain", PassportErrorKind.InvalidSignature },
        { "drop-chain", PassportErrorKind.ChainBroken },
        { "garbage", PassportErrorKind.InvalidToken },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task TamperedPassport_IsDenied_AndTheBodyNeverRuns(string how, PassportErrorKind expected)
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var ctx = carol.GetPassport()!;
        var tampered = how switch
        {
            "signature" => new PassportContext(FlipLast(ctx.Token), ctx.ChainTokens, ctx.Audience),
            "payload" => new PassportContext(WidenScope(ctx.Token), ctx.ChainTokens, ctx.Audience),
            "chain" => new PassportContext(ctx.Token, [ctx.ChainTokens[0], FlipLast(ctx.ChainTokens[1])], ctx.Audience),
            "drop-chain" => new PassportContext(ctx.Token, null, ctx.Audience),
            _ => new PassportContext("not.a.passport", ctx.ChainTokens, ctx.Audience),
        };
        var mallory = carol.Clone().UseAgentPassport(tampered);

        var result = await mallory.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });
        var auto = await mallory.InvokePromptAsync("call hotels.book", TravelFixture.AutoInvoke());

        Assert.Equal(0, f.Counters.Total);
        Assert.Equal(expected, result.GetPassportDenial()!.Error.Kind);
        Assert.Equal(expected, Assert.Single(auto.GetPassportDenials()).Error.Kind);
        Assert.All(f.Sink.Events.Where(e => e.Kind == PassportAuditEventKind.Denied), e => Assert.False(e.ClaimsVerified));
    }

    [Fact]
    public async Task PassportForAnotherAudience_IsDeniedWithAudienceMismatch()
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var ctx = carol.GetPassport()!;
        var elsewhere = carol.Clone().UseAgentPassport(new PassportContext(ctx.Token, ctx.ChainTokens, "https://payments.example.com/"));

        var result = await elsewhere.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });

        Assert.Equal(PassportErrorKind.AudienceMismatch, result.GetPassportDenial()!.Error.Kind);
        Assert.Equal(0, f.Counters.Total);
    }

    [Fact]
    public async Task KernelWithoutPassport_DeniesEveryToolCall()
    {
        using var f = new TravelFixture();

        var result = await f.Template.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });

        Assert.Equal(PassportErrorKind.NoPassport, result.GetPassportDenial()!.Error.Kind);
        Assert.Equal(0, f.Counters.Total);
    }

    private static string FlipLast(string token)
    {
        // Change a middle character of the signature (the last character may carry unused bits).
        var chars = token.ToCharArray();
        int i = token.Length - 10;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static string WidenScope(string token)
    {
        var parts = token.Split('.');
        var json = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        json = json.Replace("\"flights:book\"", "\"*\"", StringComparison.Ordinal);
        parts[1] = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(json));
        return string.Join('.', parts);
    }
}
