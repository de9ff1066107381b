using System.ComponentModel;
using System.Net;
using AgentPassport.ModelContextProtocol;
using AgentPassport.TestSupport.Adapters;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Client;
using ModelContextProtocol.Server;

namespace AgentPassport.ModelContextProtocol.Tests.Support;

/// <summary>
/// A real MCP server (ASP.NET Core, Kestrel on 127.0.0.1, a random port, the Streamable HTTP transport) with Agent Passport
/// enforcement, and Alice → Bob → Carol minted for its audience.
/// </summary>
public class McpServerFixture : IAsyncLifetime
{
    public const string McpAudience = "https://mcp.example.com/";

    private readonly bool _stateful;
    private WebApplication? _app;

    public McpServerFixture()
        : this(stateful: false)
    {
    }

    protected McpServerFixture(bool stateful) => _stateful = stateful;

    public PassportFixture Passports { get; } = new();

    public McpToolRuns Runs { get; } = new();

    public Uri Endpoint { get; private set; } = null!;

    public PassportContext Alice { get; private set; } = null!;

    public PassportContext Bob { get; private set; } = null!;

    public PassportContext Carol { get; private set; } = null!;

    /// <summary>Carol's Passport, minted for another audience (the tools', not this server's).</summary>
    public PassportContext CarolElsewhere { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (Alice, Bob, Carol) = await Passports.AliceBobCarolAsync(McpAudience);
        (_, _, CarolElsewhere) = await Passports.AliceBobCarolAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(Passports.Authorizer);
        builder.Services.AddSingleton(Runs);
        AddTools(builder.Services.AddMcpServer()
            .WithHttpTransport(o => o.SessionMode = _stateful ? HttpServerSessionMode.Stateful : HttpServerSessionMode.Stateless))
            .AddAgentPassport(o =>
            {
                o.Audience = McpAudience;
                o.ToolScopes["payments_charge"] = "payments:charge";
            });
        _app = builder.Build();
        _app.MapMcp("/mcp");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Endpoint = new Uri(address.TrimEnd('/') + "/mcp");
    }

    /// <summary>The server's tools.</summary>
    protected virtual IMcpServerBuilder AddTools(IMcpServerBuilder server) => server.WithTools<TravelMcpTools>();

    /// <summary>An official MCP C# client over Streamable HTTP, sending these headers.</summary>
    public Task<McpClient> ConnectAsync(IDictionary<string, string>? headers = null) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers ?? new Dictionary<string, string>(),
        }));

    /// <summary>The HTTP headers of the wire contract for a Passport.</summary>
    public static Dictionary<string, string> Headers(PassportContext passport, bool withChain = true)
    {
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + passport.Token };
        if (withChain && passport.ChainTokens.Count > 0)
        {
            headers[PassportMcpWire.ChainHeaderName] = string.Join(',', passport.ChainTokens);
        }

        return headers;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Passports.Dispose();
    }
}

/// <summary>The same server in stateful session mode (sessions, the request's execution context).</summary>
public sealed class McpStatefulServerFixture() : McpServerFixture(stateful: true);
