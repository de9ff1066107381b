using System.Net;
using AgentPassport;
using AgentPassport.ModelContextProtocol;
using AgentPassport.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;

namespace DistributedSample;

/// <summary>
/// Process 2: the MCP tool server (official MCP C# SDK, Streamable HTTP). It trusts the issuer by its JWKS URL only,
/// requires every Passport to be holder-bound with a fresh proof per call, reads the revocation file the issuer writes,
/// and records every decision in its own SQLite audit log.
/// </summary>
internal static class ToolServerRole
{
    public const string Name = "tools";

    /// <summary>Arguments: the run directory, the issuer URL.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string runDirectory = args[0];
        string issuerUrl = args[1];

        using var jwks = new RemoteJwksPassportKeyResolver(new RemoteJwksPassportKeyResolverOptions { JwksUrl = new Uri(issuerUrl + "/jwks.json") });
        // Reload interval zero: the file is looked at on every check, so a revocation counts from the next call.
        var revocations = new FileRevocationStore(SampleSettings.RevocationFile(runDirectory), reloadInterval: TimeSpan.Zero);
        var replay = await ReplayCaches.CreateAsync();
        using var auditKey = PassportAuditLogKey.LoadOrCreate(SampleSettings.AuditKey(runDirectory, Name));
        await using var audit = await SqlitePassportAuditLog.OpenAsync(SampleSettings.AuditLog(runDirectory, Name), new PassportAuditLogOptions { SigningKey = auditKey });
        var authorizer = new PassportAuthorizer(
            new PassportVerifier(jwks) { Revocations = revocations },
            new PassportAuthorizerOptions
            {
                Policy = new VerificationPolicy(issuerUrl, SampleSettings.FlightsMcp) { RequireIal = 2, RequireHolderBinding = true },
                IncludeDetailedDenials = true, // so the orchestrator can print why a call was refused
                ReplayCache = replay,
            },
            audit);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(authorizer);
        builder.Services.AddMcpServer()
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<FlightTools>()
            .AddAgentPassport(o => o.Audience = SampleSettings.FlightsMcp);
        await using var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        await ServiceLifetime.AnnounceAndWaitForStopAsync(app.Urls.First() + "/mcp");
        await app.StopAsync();
        if (replay is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        return 0;
    }
}
