using System.Net;
using System.Security.Claims;
using AgentPassport.AspNetCore;
using AgentPassport.TestSupport.Adapters;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentPassport.AspNetCore.Tests.Support;

/// <summary>
/// A real tool API (Kestrel on 127.0.0.1, a random port) behind the Agent Passport handler: minimal-API endpoints with
/// RequirePassportScope, a controller with the attribute, RFC 9728 metadata; Alice → Bob → Carol minted for its audience.
/// </summary>
public class ToolApiFixture : IAsyncLifetime
{
    public const string Audience = "https://api.example.com/";

    private readonly bool _reserveAuthorization;
    private WebApplication? _app;

    public ToolApiFixture()
        : this(reserveAuthorization: false)
    {
    }

    protected ToolApiFixture(bool reserveAuthorization) => _reserveAuthorization = reserveAuthorization;

    public PassportFixture Passports { get; } = new();

    public ToolRuns Runs { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public PassportContext Alice { get; private set; } = null!;

    public PassportContext Bob { get; private set; } = null!;

    public PassportContext Carol { get; private set; } = null!;

    public PassportHolderKey AliceKey { get; } = PassportHolderKey.Generate();

    public PassportHolderKey BobKey { get; } = PassportHolderKey.Generate();

    public PassportHolderKey CarolKey { get; } = PassportHolderKey.Generate();

    /// <summary>Alice → Bob → Carol again, each bound to its own holder key (spec v1.1 §11).</summary>
    public PassportContext BoundCarol { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (Alice, Bob, Carol) = await Passports.AliceBobCarolAsync(Audience);
        BoundCarol = await BoundChainAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(Passports.Authorizer);
        builder.Services.AddSingleton(Runs);
        builder.Services.AddAuthentication().AddAgentPassport(o =>
        {
            o.Audience = Audience;
            o.ReserveAuthorizationHeader = _reserveAuthorization;
            o.MaxArgumentBodyBytes = 1024;
        });
        builder.Services.AddControllers().AddApplicationPart(typeof(PaymentsController).Assembly);
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapPost("/flights/{id}/book", async (string id, HttpRequest request, ClaimsPrincipal user, ToolRuns runs) =>
        {
            runs.Add("flights_book");
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            return Results.Text($"{user.Identity!.Name} booked {id}; body {body.Length}; act {string.Join('>', user.FindAll(PassportClaimTypes.Actor).Select(c => c.Value))}");
        }).RequirePassportScope("flights:book");
        _app.MapGet("/hotels", (ToolRuns runs) =>
        {
            runs.Add("hotels_book");
            return "hotel";
        }).RequirePassportScope("hotels:book");
        _app.MapGet("/open", () => "open");
        _app.MapGet("/profile", (ClaimsPrincipal user) => "profile of " + user.Identity!.Name)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = PassportHttpWire.ChallengeScheme });
        _app.MapControllers();
        _app.MapPassportProtectedResourceMetadata();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    /// <summary>A request carrying <paramref name="passport"/> in the §15 headers.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, PassportContext? passport, bool bearer = false)
    {
        var request = new HttpRequestMessage(method, path);
        if (passport is null)
        {
            return request;
        }

        if (bearer)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + passport.Token);
        }
        else
        {
            request.Headers.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, passport.Token);
        }

        if (passport.ChainTokens.Count > 0)
        {
            request.Headers.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, string.Join(',', passport.ChainTokens));
        }

        return request;
    }

    /// <summary>A proof by <paramref name="key"/> (Carol's by default) over the bound Carol's token for <paramref name="scope"/>.</summary>
    public string Proof(string scope = "flights:book", PassportToolArguments? args = null, PassportHolderKey? key = null) =>
        PassportProof.Create(key ?? CarolKey, Audience, BoundCarol.Token, scope, args, Passports.Time);

    /// <summary>A proof for a plain HTTP resource (htm + htu).</summary>
    public string HttpProof(HttpMethod method, string path) =>
        PassportProof.CreateForHttp(CarolKey, Audience, BoundCarol.Token, method.Method, new Uri(Client.BaseAddress!, path), Passports.Time);

    private async Task<PassportContext> BoundChainAsync()
    {
        var alice = Passports.Issuer.Issue(new RootPassportRequest
        {
            Identity = PassportFixture.Identity(),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = Audience,
            ToolScope = ["flights:*", "payments:charge"],
            HolderThumbprint = AliceKey.Thumbprint,
        });
        var bob = await DelegateAsync(alice, AliceKey, "agent:bob", ["flights:*"], BobKey);
        var carol = await DelegateAsync(bob, BobKey, "agent:carol", ["flights:book"], CarolKey);
        return PassportContext.From(carol);
    }

    private async Task<IssuedPassport> DelegateAsync(IssuedPassport parent, PassportHolderKey parentKey, string agentId, string[] scopes, PassportHolderKey childKey)
    {
        var verified = await Passports.Verifier.VerifyAsync(parent.Token, new VerificationPolicy(PassportFixture.IssuerUrl, Audience), parent.ChainTokens);
        return Passports.Issuer.Delegate(verified, new DelegationRequest
        {
            AgentId = agentId,
            AgentModel = "model-" + agentId,
            Audience = Audience,
            ToolScope = scopes,
            HolderThumbprint = childKey.Thumbprint,
            ParentProof = PassportProof.Create(parentKey, PassportFixture.IssuerUrl, parent.Token, PassportProof.DelegateOperation, timeProvider: Passports.Time),
        });
    }

    /// <summary>The audit records written since <paramref name="before"/> (decisions only).</summary>
    public IReadOnlyList<PassportAuditEvent> DecisionsSince(int before) =>
        Passports.Sink.Events.Skip(before).Where(e => e.Kind != PassportAuditEventKind.Minted).ToList();

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Passports.Dispose();
        AliceKey.Dispose();
        BobKey.Dispose();
        CarolKey.Dispose();
    }
}

/// <summary>The same API with Authorization reserved for the server's own OAuth.</summary>
public sealed class ReservedAuthorizationApiFixture() : ToolApiFixture(reserveAuthorization: true);

/// <summary>Counts tool bodies that ran.</summary>
public sealed class ToolRuns
{
    private int _total;

    public int Total => Volatile.Read(ref _total);

    public void Add(string tool)
    {
        _ = tool;
        Interlocked.Increment(ref _total);
    }
}

/// <summary>A controller-style tool guarded by the attribute.</summary>
[ApiController]
[Route("payments")]
public sealed class PaymentsController(ToolRuns runs) : ControllerBase
{
    [HttpPost("charge")]
    [RequirePassportScope("payments:charge")]
    public string Charge()
    {
        runs.Add("payments_charge");
        return "charged by " + User.Identity!.Name;
    }
}
