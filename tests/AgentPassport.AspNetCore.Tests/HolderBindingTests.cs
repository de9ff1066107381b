using System.Net;
using System.Text;
using System.Text.Json;
using AgentPassport.AspNetCore.Tests.Support;

namespace AgentPassport.AspNetCore.Tests;

/// <summary>Holder-bound Passports over HTTP: the Agent-Passport-Proof header, checked once per request by the one path.</summary>
public sealed class HolderBindingTests(ToolApiFixture api) : IClassFixture<ToolApiFixture>
{
    [Fact]
    public async Task Bound_Carol_with_her_proof_books()
    {
        using var request = Bound("/flights/UA1/book", api.Proof());

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_stolen_bound_chain_without_a_proof_is_401_ProofRequired_naming_the_agent()
    {
        int audit = api.Passports.Sink.Events.Count, runs = api.Runs.Total;
        using var request = Bound("/flights/UA1/book", proof: null);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("error=\"invalid_token\", error_description=\"ProofRequired (", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
        Assert.Equal(runs, api.Runs.Total);
        var record = Assert.Single(api.DecisionsSince(audit));
        Assert.Equal(("agent:carol", (PassportErrorKind?)PassportErrorKind.ProofRequired), (record.AgentId, record.ErrorKind));
    }

    [Fact]
    public async Task A_proof_by_another_key_is_401_HolderMismatch()
    {
        using var thief = PassportHolderKey.Generate();
        using var request = Bound("/flights/UA1/book", api.Proof(key: thief));

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("HolderMismatch", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replayed_proof_is_401_ReplayDetected()
    {
        var proof = api.Proof();
        using var first = Bound("/flights/UA1/book", proof);
        using var second = Bound("/flights/UA1/book", proof);

        using var allowed = await api.Client.SendAsync(first);
        using var replayed = await api.Client.SendAsync(second);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Contains("ReplayDetected", Assert.Single(replayed.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proof_bound_to_the_arguments_holds_for_those_route_and_body_values_only()
    {
        var args = PassportToolArguments.FromJsonObject(JsonDocument.Parse("{\"id\":\"UA1\",\"amount\":120}").RootElement);
        using var same = Bound("/flights/UA1/book", api.Proof(args: args), "{\"amount\":120}");
        using var other = Bound("/flights/UA1/book", api.Proof(args: args), "{\"amount\":500}");

        using var allowed = await api.Client.SendAsync(same);
        using var refused = await api.Client.SendAsync(other);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("InvalidProof", Assert.Single(refused.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_resource_checks_an_htm_htu_proof_at_authentication()
    {
        using var withProof = Bound("/profile", api.HttpProof(HttpMethod.Get, "/profile"), method: HttpMethod.Get);
        using var forAnotherPath = Bound("/profile", api.HttpProof(HttpMethod.Get, "/other"), method: HttpMethod.Get);
        using var without = Bound("/profile", proof: null, method: HttpMethod.Get);

        using var allowed = await api.Client.SendAsync(withProof);
        using var wrongPath = await api.Client.SendAsync(forAnotherPath);
        using var missing = await api.Client.SendAsync(without);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("profile of agent:carol", await allowed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPath.StatusCode);
        Assert.Contains("InvalidProof", Assert.Single(wrongPath.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Contains("ProofRequired", Assert.Single(missing.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    private HttpRequestMessage Bound(string path, string? proof, string? json = null, HttpMethod? method = null)
    {
        var request = ToolApiFixture.Request(method ?? HttpMethod.Post, path, api.BoundCarol);
        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation(PassportHttpWire.ProofHeaderName, proof);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }
}
