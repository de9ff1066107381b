using AgentPassport.Testing;

namespace AgentPassport.TestSupport.Faults;

/// <summary>Applies and clears a <see cref="Fault"/>.</summary>
public static class FaultInjection
{
    public static async Task ApplyAsync(FaultyHttpServer server, Fault fault, bool discovery)
    {
        if (fault == Fault.Down)
        {
            await server.StopAsync();
            return;
        }

        server.SlowDelay = TimeSpan.FromSeconds(20);
        var behavior = fault switch
        {
            Fault.Slow => FaultyHttpBehavior.Slow,
            Fault.ServerError => FaultyHttpBehavior.ServerError,
            Fault.Garbage => FaultyHttpBehavior.Garbage,
            Fault.NonObjectJson => FaultyHttpBehavior.NonObjectJson,
            Fault.NotAJwks => FaultyHttpBehavior.NotAJwks,
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };
        if (discovery)
        {
            server.DiscoveryBehavior = behavior;
        }
        else
        {
            server.JwksBehavior = behavior;
        }
    }

    public static async Task HealAsync(FaultyHttpServer server)
    {
        server.DiscoveryBehavior = FaultyHttpBehavior.Healthy;
        server.JwksBehavior = FaultyHttpBehavior.Healthy;
        await server.StartAsync();
    }

    /// <summary>The cause an error message names for each fault.</summary>
    public static string Cause(Fault fault) => fault switch
    {
        Fault.Down => "connection refused",
        Fault.Slow => "timed out",
        Fault.ServerError => "HTTP 500",
        Fault.Garbage => "not valid JSON",
        Fault.NonObjectJson => "not a JSON object",
        Fault.NotAJwks => "not a valid JWKS",
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };
}
