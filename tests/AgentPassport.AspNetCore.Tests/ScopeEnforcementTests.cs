using System.Net;
using AgentPassport.AspNetCore.Tests.Support;

namespace AgentPassport.AspNetCore.Tests;

/// <summary>Endpoints behind RequirePassportScope and the attribute: allowed, refused 401/403, one audit record each.</summary>
public sealed class ScopeEnforcementTests(ToolApiFixture api) : IClassFixture<ToolApiFixture>
{
    [Fact]
    public async Task Carol_with_her_chain_books_a_flight_and_the_endpoint_sees_her_claims()
    {
        int audit = api.Passports.Sink.Events.Count, runs = api.Runs.Total;
        using var request = ToolApiFixture.Request(HttpMethod.Post, "/flights/UA1/book", api.Carol);
        request.Content = new StringContent("{\"amount\":120}", System.Text.Encoding.UTF8, "application/json");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("agent:carol booked UA1; body 14; act agent:carol>agent:bob>agent:alice", await response.Content.ReadAsStringAsync());
        Assert.Equal(runs + 1, api.Runs.Total);
        var record = Assert.Single(api.DecisionsSince(audit));
        Assert.Equal((PassportAuditEventKind.Allowed, "agent:carol", "flights:book", "POST /flights/{id}/book"),
            (record.Kind, record.AgentId, record.RequiredScope, record.ToolName));
    }

    [Fact]
    public async Task Bearer_carries_the_leaf_too()
    {
        using var request = ToolApiFixture.Request(HttpMethod.Post, "/flights/UA1/book", api.Carol, bearer: true);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_scope_the_Passport_lacks_is_403_insufficient_scope_and_the_body_never_runs()
    {
        int audit = api.Passports.Sink.Events.Count, runs = api.Runs.Total;
        using var request = ToolApiFixture.Request(HttpMethod.Post, "/payments/charge", api.Carol);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("AgentPassport", challenge.Scheme);
        Assert.StartsWith("error=\"insufficient_scope\", error_description=\"ScopeViolation (", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("scope=\"payments:charge\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal(runs, api.Runs.Total);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        var record = Assert.Single(api.DecisionsSince(audit));
        Assert.Equal((PassportAuditEventKind.Denied, "agent:carol", PassportErrorKind.ScopeViolation), (record.Kind, record.AgentId, record.ErrorKind));
    }

    [Fact]
    public async Task The_controller_attribute_allows_a_Passport_with_the_scope()
    {
        using var request = ToolApiFixture.Request(HttpMethod.Post, "/payments/charge", api.Alice);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("charged by agent:alice", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task No_Passport_is_401_without_an_error_code_naming_the_scope_and_the_metadata()
    {
        int audit = api.Passports.Sink.Events.Count;
        using var response = await api.Client.GetAsync(new Uri("/hotels", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal($"scope=\"hotels:book\", resource_metadata=\"{api.Client.BaseAddress!.ToString().TrimEnd('/')}/.well-known/oauth-protected-resource\"", challenge.Parameter);
        var record = Assert.Single(api.DecisionsSince(audit));
        Assert.Equal((PassportAuditEventKind.Denied, PassportErrorKind.NoPassport), (record.Kind, record.ErrorKind));
    }

    [Fact]
    public async Task Carol_without_her_chain_is_401_invalid_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/flights/UA1/book");
        request.Headers.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, api.Carol.Token);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_without_a_requirement_is_untouched_and_unaudited()
    {
        int audit = api.Passports.Sink.Events.Count;
        using var request = ToolApiFixture.Request(HttpMethod.Get, "/open", api.Carol);
        request.Headers.TryAddWithoutValidation(PassportHttpWire.ProofHeaderName, "garbage");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(api.DecisionsSince(audit));
    }

    [Fact]
    public async Task A_body_over_the_argument_cap_still_reaches_the_endpoint_whole()
    {
        var big = "{\"note\":\"" + new string('x', 4000) + "\"}";
        using var request = ToolApiFixture.Request(HttpMethod.Post, "/flights/UA1/book", api.Carol);
        request.Content = new StringContent(big, System.Text.Encoding.UTF8, "application/json");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"body {big.Length};", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_RFC_9728_metadata_names_the_resource_the_issuer_and_the_required_scopes()
    {
        using var response = await api.Client.GetAsync(new Uri("/.well-known/oauth-protected-resource", UriKind.Relative));
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ToolApiFixture.Audience, root.GetProperty("resource").GetString());
        Assert.Equal([TestSupport.Adapters.PassportFixture.IssuerUrl], root.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["flights:book", "hotels:book", "payments:charge"], root.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["header"], root.GetProperty("bearer_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }
}
