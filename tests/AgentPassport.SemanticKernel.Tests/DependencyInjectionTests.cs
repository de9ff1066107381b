using AgentPassport.SemanticKernel.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests;

public sealed class DependencyInjectionTests
{
    private static void Configure(AgentPassportOptions o) => o.Policy = new VerificationPolicy(TravelFixture.IssuerUrl, TravelFixture.ToolsAudience);

    [Fact]
    public async Task KernelBuilder_AddAgentPassport_BuildsKernelsThatEnforcePassports()
    {
        using var f = new TravelFixture();
        var (_, _, carolKernel) = await f.AliceBobCarolAsync();
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IPassportKeyResolver>(f.Keys);
        builder.Services.AddSingleton<TimeProvider>(f.Time);
        builder.AddAgentPassport(Configure);
        builder.Plugins.AddFromObject(new FlightsPlugin(f.Counters), "flights");
        builder.Plugins.AddFromObject(new HotelsPlugin(f.Counters), "hotels");
        var kernel = builder.Build();

        kernel.UseAgentPassport(carolKernel.GetPassport()!);
        var allowed = await kernel.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });
        var denied = await kernel.InvokeAsync("hotels", "book", new KernelArguments { ["item"] = "x" });

        var filter = kernel.GetPassportFilter();
        Assert.Contains(filter, kernel.AutoFunctionInvocationFilters);
        Assert.Null(allowed.GetPassportDenial());
        Assert.Equal(PassportErrorKind.ScopeViolation, denied.GetPassportDenial()!.Error.Kind);
        Assert.Equal(1, f.Counters.Total);

        // The default sink is the in-memory one, shared through DI.
        var sink = kernel.Services.GetRequiredService<InMemoryPassportAuditSink>();
        Assert.Same(sink, kernel.Services.GetRequiredService<IPassportAuditSink>());
        Assert.Equal(2, sink.Events.Count);
    }

    [Fact]
    public void AddSemanticKernel_Twice_RegistersOneFilterServingBothFilterKinds()
    {
        using var keys = new InMemoryPassportKeyStore();
        var services = new ServiceCollection().AddSingleton<IPassportKeyResolver>(keys);

        services.AddAgentPassport(Configure).AddSemanticKernel();
        services.AddAgentPassport(Configure).AddSemanticKernel();
        using var sp = services.BuildServiceProvider();

        Assert.Single(sp.GetServices<IFunctionInvocationFilter>());
        Assert.Single(sp.GetServices<IAutoFunctionInvocationFilter>());
        Assert.Same(sp.GetRequiredService<IFunctionInvocationFilter>(), sp.GetRequiredService<IAutoFunctionInvocationFilter>());
    }

    [Fact]
    public async Task Builder_MapFunctionScope_AndTheDelegationService_AreWired()
    {
        using var f = new TravelFixture();
        var services = new ServiceCollection()
            .AddSingleton<IPassportKeyResolver>(f.Keys)
            .AddSingleton<TimeProvider>(f.Time)
            .AddSingleton(f.Issuer);
        services.AddAgentPassport(Configure).AddSemanticKernel().MapFunctionScope("flights.book", "travel:book");
        services.AddKernel().Plugins.AddFromObject(new FlightsPlugin(f.Counters), "flights");
        using var sp = services.BuildServiceProvider();
        var template = sp.GetRequiredService<Kernel>();
        var delegation = sp.GetRequiredService<PassportKernelDelegator>();

        var alice = await delegation.CreateAgentKernelAsync(template, TravelFixture.AliceRequest() with { ToolScope = ["travel:book"] });
        var result = await alice.InvokeAsync("flights", "book", new KernelArguments { ["item"] = "x" });

        Assert.Null(result.GetPassportDenial());
        Assert.Equal(1, f.Counters.Runs("flights.book"));
        Assert.Equal("travel:book", sp.GetRequiredService<PassportFunctionInvocationFilter>().GetRequiredScope(template.Plugins["flights"]["book"]));
        Assert.Throws<ArgumentException>(() => services.AddAgentPassport(Configure).MapFunctionScope("flights.book", "travel:*"));
    }

    [Fact]
    public void AddAgentPassport_WithoutAnAdapter_RegistersTheSharedServicesOnly()
    {
        using var keys = new InMemoryPassportKeyStore();
        var services = new ServiceCollection().AddSingleton<IPassportKeyResolver>(keys);
        services.AddAgentPassport(Configure);
        using var sp = services.BuildServiceProvider();

        Assert.NotNull(sp.GetRequiredService<PassportAuthorizer>());
        Assert.Contains(services, d => d.ServiceType == typeof(PassportDelegator));
        Assert.Empty(sp.GetServices<IFunctionInvocationFilter>());
        Assert.Null(sp.GetService<PassportKernelDelegator>());
    }

    [Fact]
    public void AddSemanticKernel_MappedPattern_FailsOptionsValidation()
    {
        using var keys = new InMemoryPassportKeyStore();
        var services = new ServiceCollection().AddSingleton<IPassportKeyResolver>(keys);
        services.AddAgentPassport(Configure).AddSemanticKernel(o => o.ToolScopes["flights.book"] = "flights:*");
        using var sp = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<PassportKernelOptions>>().Value);
        Assert.Contains("concrete scopes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PassportVerifier.DefaultCacheCapacity, 3 + 4)] // cold: 3 tokens; each hit re-checks the one distinct key
    [InlineData(0, 3 * 5)]                                   // no cache: every call verifies all 3 tokens
    public async Task AddAgentPassport_BuildsTheVerifierWithAVerifiedChainCache_SizedByTheOption(int cacheSize, int expectedLookups)
    {
        using var f = new TravelFixture();
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var keys = new CountingKeyResolver(f.Keys);
        var services = new ServiceCollection().AddSingleton<IPassportKeyResolver>(keys).AddSingleton<TimeProvider>(f.Time);
        services.AddAgentPassport(o =>
        {
            Configure(o);
            o.VerificationCacheCapacity = cacheSize;
        });
        using var sp = services.BuildServiceProvider();
        var authorizer = sp.GetRequiredService<PassportAuthorizer>();
        var context = carol.GetPassport();

        for (int i = 0; i < 5; i++)
        {
            Assert.True((await authorizer.AuthorizeAsync(context, "flights.book", "flights:book")).IsAllowed);
        }

        Assert.Equal(expectedLookups, keys.Lookups);
    }
}
