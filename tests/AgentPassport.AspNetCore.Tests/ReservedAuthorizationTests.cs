using System.Net;
using AgentPassport.AspNetCore.Tests.Support;

namespace AgentPassport.AspNetCore.Tests;

/// <summary>With Authorization reserved for the server's own OAuth, only Agent-Passport carries a Passport.</summary>
public sealed class ReservedAuthorizationTests(ReservedAuthorizationApiFixture api) : IClassFixture<ReservedAuthorizationApiFixture>
{
    [Fact]
    public async Task Agent_Passport_header_is_read_beside_the_servers_own_bearer_token()
    {
        using var request = ToolApiFixture.Request(HttpMethod.Post, "/flights/UA1/book", api.Carol);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer some-oauth-access-token");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Another_Authorization_scheme_is_left_to_the_server()
    {
        using var request = ToolApiFixture.Request(HttpMethod.Post, "/flights/UA1/book", api.Carol);
        request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_Passport_in_Authorization_is_not_read()
    {
        int audit = api.Passports.Sink.Events.Count;
        using var request = ToolApiFixture.Request(HttpMethod.Post, "/flights/UA1/book", api.Alice, bearer: true);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal((PassportErrorKind?)PassportErrorKind.NoPassport, Assert.Single(api.DecisionsSince(audit)).ErrorKind);
    }

    [Fact]
    public async Task A_chain_beside_a_reserved_Authorization_is_a_chain_without_a_Passport()
    {
        using var request = ToolApiFixture.Request(HttpMethod.Post, "/flights/UA1/book", api.Carol, bearer: true);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }
}
