using System.Net;
using AgentPassport;
using AgentPassport.IssuerService;
using AgentPassport.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace DistributedSample;

/// <summary>
/// Process 1: the issuer service. Mints root Passports for ID tokens of the (mock) OpenID provider and child Passports
/// for holder-proved parents, by RFC 8693 token exchange; publishes its JWKS; revokes through its revocation endpoint
/// into the revocation file it shares with the tool server. Mints and revocations go to its own SQLite audit log.
/// </summary>
internal static class IssuerRole
{
    public const string Name = "issuer";

    /// <summary>Arguments: the run directory, the OpenID provider's discovery URL.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string runDirectory = args[0];
        var discovery = new Uri(args[1]);
        string issuerUrl = $"http://127.0.0.1:{ServiceLifetime.FreeLoopbackPort()}"; // plain http is accepted on loopback only

        using var keys = new InMemoryPassportKeyStore();
        var revocations = new FileRevocationStore(SampleSettings.RevocationFile(runDirectory));
        var replay = await ReplayCaches.CreateAsync();
        using var auditKey = PassportAuditLogKey.LoadOrCreate(SampleSettings.AuditKey(runDirectory, Name));
        await using var audit = await SqlitePassportAuditLog.OpenAsync(SampleSettings.AuditLog(runDirectory, Name), new PassportAuditLogOptions { SigningKey = auditKey });
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = issuerUrl, KeyStore = keys, Revocations = revocations, ReplayCache = replay });
        using var provider = new OpenIdProviderClient(new OpenIdProviderClientOptions { DiscoveryUrl = discovery });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, new Uri(issuerUrl).Port));
        await using var app = builder.Build();
        app.MapAgentPassportIssuer(new PassportIssuerServiceOptions
        {
            Issuer = issuer,
            IdentityValidator = new IdTokenValidator(provider, new IdTokenValidatorOptions { ClientId = SampleSettings.IdTokenClientId }),
            RootScopes = ["flights:*"],
            Audiences = [SampleSettings.FlightsMcp],
            Revocations = revocations,
            AuditSink = audit,
        });
        await app.StartAsync();
        await ServiceLifetime.AnnounceAndWaitForStopAsync(issuerUrl);
        await app.StopAsync();
        if (replay is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        return 0; // the audit log is sealed as it is disposed
    }
}
