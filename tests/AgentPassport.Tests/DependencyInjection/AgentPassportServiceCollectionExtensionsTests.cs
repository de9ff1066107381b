using AgentPassport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.DependencyInjection;

/// <summary>The one registration every adapter builds on: verifier, cache, authorizer, audit and clock.</summary>
public sealed class AgentPassportServiceCollectionExtensionsTests
{
    private static void Configure(AgentPassportOptions o) => o.Policy = PassportTestContext.Policy(PassportTestContext.FlightsAudience);

    [Fact]
    public void AddAgentPassport_UsesTryAdd_AndRegistersTheSystemClockOnlyIfAbsent()
    {
        var fake = new FakeTimeProvider();
        var sink = new InMemoryPassportAuditSink();
        using var keys = new InMemoryPassportKeyStore();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(fake)
            .AddSingleton<IPassportAuditSink>(sink)
            .AddSingleton<IPassportKeyResolver>(keys);

        services.AddAgentPassport(Configure);
        services.AddAgentPassport(Configure);
        using var sp = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(PassportAuthorizer));
        Assert.Same(fake, sp.GetRequiredService<TimeProvider>());
        Assert.Same(sink, sp.GetRequiredService<PassportAuthorizer>().AuditSink);
        Assert.Same(fake, sp.GetRequiredService<PassportAuthorizer>().TimeProvider);

        using var plain = new ServiceCollection().AddSingleton<IPassportKeyResolver>(keys).AddAgentPassport(Configure).Services.BuildServiceProvider();
        Assert.Same(TimeProvider.System, plain.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddAgentPassport_UsesARegisteredReplayCache_ElseTheAuthorizersOwn()
    {
        using var keys = new InMemoryPassportKeyStore();
        var shared = new InMemoryPassportReplayCache();
        using var withCache = new ServiceCollection().AddSingleton<IPassportKeyResolver>(keys).AddSingleton<IPassportReplayCache>(shared)
            .AddAgentPassport(Configure).Services.BuildServiceProvider();
        using var without = new ServiceCollection().AddSingleton<IPassportKeyResolver>(keys).AddAgentPassport(Configure).Services.BuildServiceProvider();

        Assert.Same(shared, withCache.GetRequiredService<PassportAuthorizer>().ReplayCache);
        Assert.IsType<InMemoryPassportReplayCache>(without.GetRequiredService<PassportAuthorizer>().ReplayCache);
        Assert.NotSame(shared, without.GetRequiredService<PassportAuthorizer>().ReplayCache);
    }

    [Fact]
    public void AddAgentPassport_WithoutPolicy_FailsOptionsValidation()
    {
        using var keys = new InMemoryPassportKeyStore();
        var services = new ServiceCollection().AddSingleton<IPassportKeyResolver>(keys);
        services.AddAgentPassport(_ => { });
        using var sp = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<PassportAuthorizer>());
        Assert.Contains("Policy is required", ex.Message, StringComparison.Ordinal);
    }
}
