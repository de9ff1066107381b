using System.Net;
using AgentPassport.AspNetCore.Tests.Support;

namespace AgentPassport.AspNetCore.Tests;

/// <summary>Garbage, oversize, duplicated and contradictory credentials: a typed 401, one audit record, never a 500 or a body.</summary>
public sealed class HostileHeaderTests(ToolApiFixture api) : IClassFixture<ToolApiFixture>
{
    public static TheoryData<string> Cases() =>
    [
        "garbage", "oversize", "oversize-bearer", "duplicate-passport", "duplicate-proof", "two-passports", "empty-chain-entry",
        "trailing-comma", "nine-parents", "chain-without-passport", "proof-without-passport", "space-in-token", "tab-in-token", "oversize-proof", "basic-authorization", "two-authorization-lines",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Refused_with_a_typed_401(string attack)
    {
        int audit = api.Passports.Sink.Events.Count, runs = api.Runs.Total;
        using var request = Build(attack);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var expected = attack == "nine-parents" ? PassportErrorKind.ChainBroken : PassportErrorKind.InvalidToken;
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.StartsWith($"error=\"invalid_token\", error_description=\"{expected} (", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        Assert.Equal(runs, api.Runs.Total);
        var record = Assert.Single(api.DecisionsSince(audit));
        Assert.Equal((PassportAuditEventKind.Denied, expected), (record.Kind, record.ErrorKind));
    }

    [Fact]
    public async Task The_same_Passport_in_both_headers_is_one_Passport()
    {
        using var request = ToolApiFixture.Request(HttpMethod.Post, "/flights/UA1/book", api.Carol);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + api.Carol.Token);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private HttpRequestMessage Build(string attack)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/flights/UA1/book");
        var h = request.Headers;
        var chain = string.Join(',', api.Carol.ChainTokens);
        switch (attack)
        {
            case "garbage":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, "not.a.passport");
                break;
            case "oversize":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, new string('a', 20_000));
                break;
            case "oversize-bearer":
                h.TryAddWithoutValidation("Authorization", "Bearer " + new string('a', 20_000));
                break;
            case "duplicate-passport":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, [api.Carol.Token, api.Carol.Token]);
                h.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, chain);
                break;
            case "duplicate-proof":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, api.Carol.Token);
                h.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, chain);
                h.TryAddWithoutValidation(PassportHttpWire.ProofHeaderName, ["a.b.c", "a.b.c"]);
                break;
            case "two-passports":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, api.Carol.Token);
                h.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, chain);
                h.TryAddWithoutValidation("Authorization", "Bearer " + api.Alice.Token);
                break;
            case "empty-chain-entry":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, api.Carol.Token);
                h.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, api.Carol.ChainTokens[0] + ",," + api.Carol.ChainTokens[1]);
                break;
            case "trailing-comma":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, api.Carol.Token);
                h.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, chain + ",");
                break;
            case "nine-parents":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, api.Carol.Token);
                h.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, string.Join(',', Enumerable.Repeat("a.b.c", 9)));
                break;
            case "chain-without-passport":
                h.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, chain);
                break;
            case "proof-without-passport":
                h.TryAddWithoutValidation(PassportHttpWire.ProofHeaderName, "a.b.c");
                break;
            case "space-in-token":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, "abc def.ghi");
                break;
            case "tab-in-token":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, "abc\tdef.ghi");
                break;
            case "oversize-proof":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, api.Carol.Token);
                h.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, chain);
                h.TryAddWithoutValidation(PassportHttpWire.ProofHeaderName, new string('a', 9000));
                break;
            case "basic-authorization":
                h.TryAddWithoutValidation(PassportHttpWire.PassportHeaderName, api.Carol.Token);
                h.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, chain);
                h.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
                break;
            case "two-authorization-lines":
                h.TryAddWithoutValidation("Authorization", ["Bearer " + api.Carol.Token, "Bearer " + api.Carol.Token]);
                h.TryAddWithoutValidation(PassportHttpWire.ChainHeaderName, chain);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(attack));
        }

        return request;
    }
}
