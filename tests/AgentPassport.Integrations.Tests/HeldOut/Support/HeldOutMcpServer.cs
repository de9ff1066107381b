using System.ComponentModel;
using System.Net;
using System.Net.Http.Headers;
using AgentPassport.ModelContextProtocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Client;
using ModelContextProtocol.Server;

namespace AgentPassport.Integrations.Tests.HeldOut.Support;

/// <summary>
/// A real MCP server on loopback (Kestrel, random port) with Agent Passport and counting tools, configured per test
/// (legacy SSE, stateful sessions, per-session execution context), for the held-out world's Passports (its default audience).
/// </summary>
public sealed class HeldOutMcpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HeldOutMcpServer(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    public Uri Root { get; }

    public static async Task<HeldOutMcpServer> StartAsync(HeldOutWorld w, Action<HttpServerTransportOptions> transport)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(w.Authorizer);
        builder.Services.AddSingleton(w.Bodies);
        builder.Services.AddMcpServer().WithHttpTransport(transport).WithTools<HeldOutMcpTools>().AddAgentPassport();
        var app = builder.Build();
        app.MapMcp("/mcp");
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HeldOutMcpServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>
    /// An official MCP client whose HTTP requests carry credentials chosen per request: <paramref name="stream"/> for the
    /// GET that opens a stream, <paramref name="initialize"/> for the initialize POST, <paramref name="calls"/> for every other POST.
    /// </summary>
    public Task<McpClient> ConnectAsync(HttpTransportMode mode, PassportContext? stream, PassportContext? initialize, PassportContext? calls)
    {
        var http = new HttpClient(new CredentialsPerRequest(stream, initialize, calls));
        var endpoint = new Uri(Root, mode == HttpTransportMode.Sse ? "mcp/sse" : "mcp");
        return McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = mode }, http, null, ownsHttpClient: true));
    }

    /// <summary>
    /// A tools/call sent as raw JSON-RPC over one HTTP POST (the official client refuses to put a hostile name in its
    /// headers; a hostile caller is not bound by that). Returns the status and the response body.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)> RawCallToolAsync(PassportContext who, string name)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Root, "mcp"));
        var payload = new System.Text.Json.Nodes.JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["method"] = "tools/call",
            ["params"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name, ["arguments"] = new System.Text.Json.Nodes.JsonObject { ["item"] = "x" } },
        };
        request.Content = new StringContent(payload.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", who.Token);
        if (who.ChainTokens.Count > 0)
        {
            request.Headers.TryAddWithoutValidation(PassportMcpWire.ChainHeaderName, string.Join(',', who.ChainTokens));
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class CredentialsPerRequest(PassportContext? stream, PassportContext? initialize, PassportContext? calls) : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var who = request.Method == HttpMethod.Get ? stream
                : body.Contains("\"method\":\"initialize\"", StringComparison.Ordinal) ? initialize
                : calls;
            request.Headers.Authorization = who is null ? null : new AuthenticationHeaderValue("Bearer", who.Token);
            request.Headers.Remove(PassportMcpWire.ChainHeaderName);
            if (who is { ChainTokens.Count: > 0 })
            {
                request.Headers.TryAddWithoutValidation(PassportMcpWire.ChainHeaderName, string.Join(',', who.ChainTokens));
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>The MCP server's tools, counting into the world's body log.</summary>
[McpServerToolType]
public sealed class HeldOutMcpTools(BodyLog log)
{
    [McpServerTool(Name = "flights_book"), Description("Books a flight."), PassportScope("flights:book")]
    public string BookFlight(string item) => log.Hit("flights_book", null);

    [McpServerTool(Name = "hotels_book"), Description("Books a hotel."), PassportScope("hotels:book")]
    public string BookHotel(string item) => log.Hit("hotels_book", null);

    [McpServerTool(Name = "payments_charge"), Description("Charges a card."), PassportScope("payments:charge")]
    public string Charge(string item) => log.Hit("payments_charge", null);
}
