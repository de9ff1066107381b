using AgentPassport.Cli.Tests.Support;
using AgentPassport.Testing;

namespace AgentPassport.Cli.Tests.Commands;

/// <summary>
/// <c>login --acr-values</c> / <c>CSP_ACR_VALUES</c> against the mock provider: the values reach the authorization
/// request, and an ID token without <c>acr</c> gets a one-line note.
/// </summary>
public sealed class LoginAcrTests : IClassFixture<MockProviderFixture>, IDisposable
{
    private const string Note = "note: the ID token has no acr";
    private readonly MockProviderFixture _csp;
    private readonly CliSandbox _cli = new();

    public LoginAcrTests(MockProviderFixture csp)
    {
        _csp = csp;
        csp.Configure(_cli);
    }

    [Theory]
    [InlineData("urn:a urn:b", null, "urn:a urn:b")]
    [InlineData(null, "urn:env", "urn:env")]
    [InlineData("urn:option", "urn:env", "urn:option")]
    [InlineData(null, null, null)]
    public async Task Login_SendsAcrValues_FromTheOptionElseTheEnvironment(string? option, string? environment, string? expected)
    {
        _cli.Environment["CSP_ACR_VALUES"] = environment;
        string? url = null;
        string[] args = option is null ? ["login", "--no-browser"] : ["login", "--no-browser", "--acr-values", option];

        var login = await _cli.RunInteractiveAsync(line => Follow(line, u => url = u), args);

        Assert.True(login.ExitCode == 0, login.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(url!).Query);
        Assert.Equal(expected, query["acr_values"]);
    }

    [Fact]
    public async Task Login_IdTokenWithAcr_PrintsLevels_NoNote()
    {
        var login = await _cli.RunInteractiveAsync(line => Follow(line), "login", "--no-browser");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("IAL=2 AAL=2 FAL=2", login.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Note, login.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_IdTokenWithoutAcr_SaysSoInOneLine()
    {
        await using var op = await MockOpenIdProvider.StartNewAsync();
        op.Acr = null;
        _cli.Environment["CSP_DISCOVERY_URL"] = op.DiscoveryUrl.ToString();

        var login = await _cli.RunInteractiveAsync(line => Follow(line), "login", "--no-browser");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.DoesNotContain("IAL=", login.Stdout, StringComparison.Ordinal);
        var notes = login.Stderr.Split('\n').Where(l => l.Contains("acr", StringComparison.Ordinal) && !l.Contains("http", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{Note}, so Passports issued from it carry no assurance levels (request one with --acr-values or CSP_ACR_VALUES)."], notes);
    }

    public void Dispose() => _cli.Dispose();

    /// <summary>Plays the browser for the mock provider, which approves at once.</summary>
    private static async Task Follow(string line, Action<string>? seen = null)
    {
        string text = line.Trim();
        if (text.StartsWith("http://127.0.0.1", StringComparison.Ordinal))
        {
            seen?.Invoke(text);
            using var browser = new HttpClient();
            using var response = await browser.GetAsync(text);
        }
    }
}
