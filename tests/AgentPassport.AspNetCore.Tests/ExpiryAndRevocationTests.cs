using System.Net;
using AgentPassport.AspNetCore.Tests.Support;

namespace AgentPassport.AspNetCore.Tests;

/// <summary>A Passport that expires or is revoked after it was served from the verified-chain cache is refused at once.</summary>
public sealed class ExpiryAndRevocationTests : IAsyncLifetime
{
    private readonly ToolApiFixture _api = new();

    public Task InitializeAsync() => _api.InitializeAsync();

    public Task DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task Carol_expires_401_Expired()
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(_api.Carol)).StatusCode);
        _api.Passports.Time.Advance(TimeSpan.FromMinutes(3));

        using var response = await Send(_api.Carol);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("error=\"invalid_token\", error_description=\"Expired (", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_Bob_refuses_Carol_401_Revoked_and_the_record_names_her()
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(_api.Carol)).StatusCode);
        await new PassportRevoker(_api.Passports.Revocations, _api.Passports.Sink, _api.Passports.Time)
            .RevokeAsync(PassportReader.DecodeUnverified(_api.Bob.Token));
        int audit = _api.Passports.Sink.Events.Count;

        using var response = await Send(_api.Carol);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("error=\"invalid_token\", error_description=\"Revoked (", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
        var record = Assert.Single(_api.DecisionsSince(audit));
        Assert.Equal((PassportErrorKind?)PassportErrorKind.Revoked, record.ErrorKind);
    }

    private Task<HttpResponseMessage> Send(PassportContext passport)
    {
        using var request = ToolApiFixture.Request(HttpMethod.Post, "/flights/UA1/book", passport);
        return _api.Client.SendAsync(request);
    }
}
