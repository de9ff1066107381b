using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentPassport.Testing;

/// <summary>
/// A minimal Kestrel app on 127.0.0.1 (never another interface) for the test servers: the first start takes a free port
/// (or the given one), and after a stop it starts again on the same port, so an issuer URL stays valid across an outage.
/// </summary>
internal sealed class LoopbackWebHost(Action<WebApplication> mapRoutes, int port = 0) : IAsyncDisposable
{
    private WebApplication? _app;
    private int _port = port;

    /// <summary>Gets the port (0 until the first start).</summary>
    public int Port => Volatile.Read(ref _port);

    /// <summary>Gets whether the app is serving.</summary>
    public bool IsRunning => Volatile.Read(ref _app) is not null;

    /// <summary>Starts serving unless already serving; completes when the port listens.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, _port));
        var app = builder.Build();
        mapRoutes(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Volatile.Write(ref _port, new Uri(address).Port);
        _app = app;
    }

    /// <summary>Stops serving; connections are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is not null)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
