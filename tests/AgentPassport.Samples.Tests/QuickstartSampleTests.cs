using AgentPassport.Samples.Tests.Support;

namespace AgentPassport.Samples.Tests;

public sealed class QuickstartSampleTests
{
    [Fact]
    public async Task Quickstart_issues_verifies_and_shows_both_typed_failures()
    {
        var run = await SampleRunner.RunAsync("Quickstart");

        run.AssertCompleted();
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(30), $"took {run.Elapsed}");
        string discovery = run.SectionText("1. Start the identity provider (an in-process mock OpenID provider on loopback)");
        Assert.Matches(@"issuer:\s+http://127\.0\.0\.1:\d+", discovery);
        Assert.Contains("jwks keys:     1", discovery);
        string login = run.SectionText("2. The person signs in: OAuth 2.0 code flow with PKCE, loopback redirect (IAL2)");
        Assert.Contains("\"sub\": \"user-alice-pairwise\"", login);
        Assert.Contains("\"acr\": \"http://idmanagement.gov/ns/assurance/ial/2\"", login);
        Assert.Matches("\"nonce\": \"[A-Za-z0-9_-]{43}\"", login);       // the login's nonce came back in the ID token
        Assert.Contains("ial/aal/fal:   2/2/2", login);
        string issued = run.SectionText("4. Issue a root Passport to the agent for the signed-in person");
        Assert.Contains("\"iss\": \"https://my-passport-issuer.example.com\"", issued);
        Assert.Contains("\"aud\": \"https://flights-mcp.example.com/\"", issued);
        Assert.Contains("\"sub\": \"agent:alice-booking-bot\"", issued);
        string verified = run.SectionText("5. The flights tool verifies the Passport against its policy");
        Assert.Contains("result:        OK", verified);
        Assert.Contains("sub:           user-alice-pairwise", verified);
        Assert.Contains("ial/aal/fal:   2/2/2", verified);
        Assert.Contains("agent:         agent:alice-booking-bot (claude-opus-4-7)", verified);
        Assert.Contains("scope:         [\"flights:search\", \"flights:book\"]", verified);
        Assert.Contains("result:        AudienceMismatch (AP0009)", run.SectionText("6. Failure demo: a service with another audience refuses it"));
        string weak = run.SectionText("7. Failure demo: an IAL1 sign-in cannot meet the IAL2 policy");
        Assert.Contains("result:        IALInsufficient (AP0010)", weak);
        Assert.Contains("IAL 2 required, got 1", weak);
    }

    [Fact]
    public async Task Quickstart_never_prints_a_compact_token()
    {
        var run = await SampleRunner.RunAsync("Quickstart");

        run.AssertCompleted();
        // A compact JWS is three base64url segments; the sample prints decoded claims only.
        Assert.DoesNotMatch(@"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", run.Output);
    }
}
