using System.Net;
using AgentPassport.TestSupport.Adapters;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentPassport.AspNetCore.Tests;

/// <summary>An endpoint that requires two different Passport scopes is refused, not decided (and audited) twice.</summary>
public sealed class TwoScopeEndpointTests
{
    [Fact]
    public async Task Two_scope_requirements_on_one_endpoint_are_one_refusal_with_one_record()
    {
        using var passports = new PassportFixture();
        var (alice, _, _) = await passports.AliceBobCarolAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(passports.Authorizer);
        builder.Services.AddAuthentication().AddAgentPassport();
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/trip", () => "booked").RequirePassportScope("flights:book").RequirePassportScope("hotels:book");
        await app.StartAsync();
        using var client = app.GetTestClient();
        int audit = passports.Sink.Events.Count;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/trip");
        request.Headers.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, alice.Token);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var record = Assert.Single(passports.Sink.Events.Skip(audit));
        Assert.Equal(("agent:alice", (PassportErrorKind?)PassportErrorKind.NoScopeRequirement), (record.AgentId, record.ErrorKind));
    }
}
