using System.Text;
using System.Text.Json.Nodes;
using AgentPassport;
using SharpFuzz;

// SharpFuzz harness: feeds arbitrary bytes to the Passport verifier, the unverified reader, the ID-token validator and
// the scope parser. Input format: newline-separated compact tokens, parents first (root first), the leaf last; or, when
// the input starts with '{', a header JSON line and a payload JSON line that the harness signs itself (JsonTarget).
// The only "crash" is an exception escaping code that must return a typed result (see README.md).
internal static class Harness
{
    private static readonly string CorpusDir = FindCorpus();
    private static readonly FixedTime Clock = new(CorpusNow());
    private static readonly PassportVerifier Verifier = new(
        new JwksPassportKeyResolver([.. Jwks.Import(File.ReadAllText(Path.Combine(CorpusDir, "jwks.json"))), JsonTarget.PublicKey]), Clock);
    private static readonly InMemoryOpenIdProvider IdProvider = new(JsonTarget.IdTokenIssuer, JsonTarget.PublicKey);
    private static readonly IdTokenValidator IdTokens = new(
        new OpenIdProviderClient(new OpenIdProviderClientOptions { DiscoveryUrl = IdProvider.DiscoveryUrl, HttpClient = new HttpClient(IdProvider), TimeProvider = Clock }),
        new IdTokenValidatorOptions { ClientId = JsonTarget.ClientId });
    private static readonly VerificationPolicy Policy = new("https://issuer.test", "https://flights-mcp.example.com/")
    {
        AllowedAlgorithms = new HashSet<string> { PassportAlgorithms.ES256, PassportAlgorithms.RS256, PassportAlgorithms.PS256 },
        RequiredScope = "flights:book",
    };

    public static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "libfuzzer";
        switch (mode)
        {
            case "libfuzzer":
                Fuzzer.LibFuzzer.Run(Target);
                return 0;
            case "afl":
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var buffer = new MemoryStream();
                    stream.CopyTo(buffer);
                    Target(buffer.ToArray());
                });
                return 0;
            case "seeds":
                return WriteSeeds(args.Length > 1 ? args[1] : "seeds");
            case "run":
                // Replays inputs without instrumentation (reproduce a crash, or smoke-test the harness).
                foreach (var file in args.Skip(1).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]))
                {
                    Target(File.ReadAllBytes(file));
                }

                Console.WriteLine("ok");
                return 0;
            default:
                Console.Error.WriteLine("usage: AgentPassport.Fuzz [libfuzzer|afl|seeds <dir>|run <files or dirs>...]");
                return 2;
        }
    }

    private static void Target(ReadOnlySpan<byte> data)
    {
        string text = Encoding.UTF8.GetString(data);
        string[] lines = text.Split('\n');
        string leaf = lines[^1];
        string[] chain = lines[..^1];
        if (JsonTarget.Accepts(text))
        {
            // Signed JSON: the mutations reach the checks after the signature.
            leaf = JsonTarget.Sign(lines[0], lines.Length > 1 ? lines[1] : string.Empty);
            chain = [];
        }

        // The ID-token validator, for any input: an identity or an AgentPassportException, nothing else.
        try
        {
            IdTokens.ValidateAsync(leaf).AsTask().GetAwaiter().GetResult();
        }
        catch (AgentPassportException)
        {
            // The documented failure of the validator.
        }

        // The non-throwing path must never throw for any input.
        var result = Verifier.ValidateAsync(leaf, Policy, chain).AsTask().GetAwaiter().GetResult();
        if (!result.Succeeded && result.Error is null)
        {
            throw new InvalidOperationException("a failed result without an error");
        }

        try
        {
            PassportReader.DecodeUnverified(leaf);
        }
        catch (AgentPassportException)
        {
            // The documented failure of the reader.
        }

        // Parsing must return false for anything malformed, never throw; a parsed scope must print back unchanged.
        if (ScopeSet.TryParse(lines, out var set, out _) && !set.ToStrings().SequenceEqual(lines, StringComparer.Ordinal))
        {
            throw new InvalidOperationException("a parsed scope set does not round-trip");
        }

        if (PassportScope.TryParse(leaf, out var scope, out _) && scope.Value != leaf)
        {
            throw new InvalidOperationException("a parsed scope does not round-trip");
        }
    }

    /// <summary>Turns the conformance corpus into seed inputs (chain lines, then the leaf).</summary>
    private static int WriteSeeds(string dir)
    {
        Directory.CreateDirectory(dir);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(CorpusDir, "manifest.json")))!;
        int n = 0;
        foreach (var c in manifest["cases"]!.AsArray())
        {
            var parts = c!["chain"]!.AsArray().Select(p => File.ReadAllText(Path.Combine(CorpusDir, p!.GetValue<string>()))).ToList();
            parts.Add(File.ReadAllText(Path.Combine(CorpusDir, c["token"]!.GetValue<string>())));
            File.WriteAllText(Path.Combine(dir, c["id"]!.GetValue<string>()), string.Join('\n', parts));
            n++;
        }

        var tokens = manifest["cases"]!.AsArray().Select(c => (c!["id"]!.GetValue<string>(), File.ReadAllText(Path.Combine(CorpusDir, c["token"]!.GetValue<string>()))));
        foreach (var (name, header, payload) in JsonTarget.Seeds(tokens, CorpusNow().ToUnixTimeSeconds()))
        {
            File.WriteAllText(Path.Combine(dir, name), header + "\n" + payload);
            n++;
        }

        Console.WriteLine($"{n} seeds written to {dir}");
        return 0;
    }

    private static DateTimeOffset CorpusNow() =>
        DateTimeOffset.FromUnixTimeSeconds(JsonNode.Parse(File.ReadAllText(Path.Combine(CorpusDir, "manifest.json")))!["now"]!.GetValue<long>());

    private static string FindCorpus()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("AGENT_PASSPORT_CORPUS");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "AgentPassport.Tests", "Corpus");
            if (File.Exists(Path.Combine(candidate, "manifest.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("Corpus not found; set AGENT_PASSPORT_CORPUS to tests/AgentPassport.Tests/Corpus.");
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
