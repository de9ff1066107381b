using AgentPassport.Cli.Tests.Support;

namespace AgentPassport.Cli.Tests.Configuration;

/// <summary>
/// An ID token stored by the Python reference CLI (<c>csp-agent-passport/</c>, older <c>nist-agent-passport/</c>) is
/// migrated once into this tool's data directory, owner-only, and <c>where</c> reports it. Temp HOME and XDG dirs.
/// </summary>
public sealed class ReferenceMigrationTests : IClassFixture<MockProviderFixture>, IDisposable
{
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode644 = Mode600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl";
    private readonly MockProviderFixture _csp;
    private readonly CliSandbox _cli = new();

    public ReferenceMigrationTests(MockProviderFixture csp)
    {
        _csp = csp;
        csp.Configure(_cli);
    }

    private string XdgRoot => _cli.Environment["XDG_DATA_HOME"]!;

    private string OurToken => Path.Combine(_cli.DataDir, "id_token");

    [Fact]
    public async Task Where_MigratesTheReferenceIdTokenOnce_OwnerOnly_AndReportsIt()
    {
        string source = StoreReferenceToken("csp-agent-passport", Token);

        var first = await _cli.RunAsync("where");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(_cli.DataDir, first.Out);
        Assert.Contains($"migrated the ID token stored by the Python reference CLI ({source}) to {OurToken}", first.Stderr, StringComparison.Ordinal);
        Assert.Equal(Token + "\n", File.ReadAllText(OurToken));
        Assert.Equal(Mode600, File.GetUnixFileMode(OurToken));
        Assert.Equal(Token + "\n", File.ReadAllText(source));

        var again = await _cli.RunAsync("where");
        Assert.Equal(_cli.DataDir, again.Out);
        Assert.Contains($"migrated once from the Python reference CLI ({source})", again.Stderr, StringComparison.Ordinal);

        // Once: a deleted token is not brought back from the reference's folder.
        File.Delete(OurToken);
        await _cli.RunAsync("where");
        Assert.False(File.Exists(OurToken));
    }

    [Fact]
    public async Task OlderNistFolder_IsMigratedWhenThereIsNoCurrentOne_CurrentWinsOverOlder()
    {
        string older = StoreReferenceToken("nist-agent-passport", Token + "old");

        var result = await _cli.RunAsync("where");

        Assert.Contains($"({older})", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(Token + "old\n", File.ReadAllText(OurToken));

        using var other = new CliSandbox();
        other.Environment["XDG_DATA_HOME"] = Path.Combine(other.Root, "xdg");
        StoreReferenceToken("nist-agent-passport", Token + "old", other.Environment["XDG_DATA_HOME"]!);
        StoreReferenceToken("csp-agent-passport", Token + "new", other.Environment["XDG_DATA_HOME"]!);
        await other.RunAsync("where");
        Assert.Equal(Token + "new\n", File.ReadAllText(Path.Combine(other.DataDir, "id_token")));
    }

    [Fact]
    public async Task WithoutXdgDataHome_MigratesFromHomeLocalShare()
    {
        _cli.Environment.Remove("XDG_DATA_HOME");
        string share = Path.Combine(_cli.Home, ".local", "share");
        string source = StoreReferenceToken("csp-agent-passport", Token, share);

        var result = await _cli.RunAsync("where");

        string ours = Path.Combine(share, "agent-passport", "id_token");
        Assert.Contains($"({source})", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(Mode600, File.GetUnixFileMode(ours));
    }

    [Theory]
    [InlineData("own token first")]
    [InlineData("not a JWS")]
    [InlineData("empty")]
    public async Task NothingToMigrate_LeavesEverythingAsItIs(string situation)
    {
        StoreReferenceToken("csp-agent-passport", situation switch { "not a JWS" => "{\"id_token\": 1}", "empty" => "\n", _ => Token });
        if (situation == "own token first")
        {
            Directory.CreateDirectory(_cli.DataDir);
            File.WriteAllText(OurToken, "mine.mine.mine\n");
        }

        var result = await _cli.RunAsync("where");

        Assert.Equal(_cli.DataDir, result.Out);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(situation == "own token first" ? "mine.mine.mine\n" : null, File.Exists(OurToken) ? File.ReadAllText(OurToken) : null);
    }

    [Fact]
    public async Task Issue_UsesTheMigratedIdToken_AfterValidatingIt()
    {
        StoreReferenceToken("csp-agent-passport", _csp.Provider.MintIdToken("carol@example.gov"));

        var issued = await _cli.RunAsync("issue", "--agent-id", "agent:alice", "--agent-model", "m", "--aud", "https://a.example/", "--tool-scope", "flights:*");

        Assert.True(issued.ExitCode == 0, issued.ToString());
        Assert.Contains("migrated the ID token stored by the Python reference CLI", issued.Stderr, StringComparison.Ordinal);
        Assert.Equal("carol@example.gov", PassportReader.DecodeUnverified(issued.Out).Subject);
    }

    public void Dispose() => _cli.Dispose();

    /// <summary>Writes an ID token where the reference CLI keeps it (0644 like its other files; the copy must still be 0600).</summary>
    private string StoreReferenceToken(string folder, string token, string? root = null)
    {
        string dir = Path.Combine(root ?? XdgRoot, folder);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "id_token");
        File.WriteAllText(path, token + "\n");
        File.SetUnixFileMode(path, Mode644);
        File.WriteAllText(Path.Combine(dir, "id_token_meta.json"), "{\"discovery_url\": \"https://csp.example/.well-known/openid-configuration\", \"client_id\": \"c\"}");
        return path;
    }
}
