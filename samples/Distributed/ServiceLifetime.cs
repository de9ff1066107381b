using System.Net;
using System.Net.Sockets;

namespace DistributedSample;

/// <summary>
/// How a service process lives under the orchestrator: it announces its URL on stdout once it listens, and runs until
/// its stdin closes — the orchestrator closes it to stop the service, and the OS closes it if the orchestrator dies, so
/// a service never outlives the run.
/// </summary>
internal static class ServiceLifetime
{
    /// <summary>A free TCP port on 127.0.0.1 (the issuer must know its own URL before it maps its endpoints).</summary>
    public static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Tells the orchestrator the service is ready, then waits until it is told to stop (stdin closed).</summary>
    public static async Task AnnounceAndWaitForStopAsync(string url)
    {
        Console.WriteLine(SampleSettings.ReadyPrefix + url);
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
    }
}
