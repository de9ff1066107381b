using System.Diagnostics;
using System.Globalization;
using AgentPassport.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace AgentPassport.Tests.Fuzzing;

/// <summary>
/// A bounded, seeded mutation fuzzer over compact Passports and chains (issue 9 item 3). Defaults: 200,000 inputs,
/// seed 20261129; <c>AGENT_PASSPORT_FUZZ_ITERATIONS</c> and <c>AGENT_PASSPORT_FUZZ_SEED</c> run longer or other
/// campaigns. Asserts: no mutated input is accepted unless it is semantically one of the original valid
/// (leaf, chain) pairs, no exception escapes the non-throwing path, and no input takes longer than the per-input bound.
/// </summary>
public sealed class MutationFuzzTests(ITestOutputHelper output)
{
    private const int DefaultIterations = 200_000;
    private const int DefaultSeed = 20261129;
    // A hang bound, not a performance target: generous enough for GC pauses on a shared 2-core machine.
    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task MutatedPassportsAndChains_AreNeverAccepted_NeverThrow_NeverHang()
    {
        int iterations = EnvInt("AGENT_PASSPORT_FUZZ_ITERATIONS", DefaultIterations);
        int seed = EnvInt("AGENT_PASSPORT_FUZZ_SEED", DefaultSeed);
        using var key = PassportSigningKey.Generate();
        var verifier = new PassportVerifier(new JwksPassportKeyResolver([key.PublicKey]), new FakeTimeProvider(TokenForge.Now));
        var policy = new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience);
        var mutator = new PassportMutator(seed, key);
        var seeds = mutator.Seeds.Select(SignedContent).ToArray();
        var failures = new List<string>();
        var kinds = new SortedDictionary<string, (int Accepted, int Rejected)>(StringComparer.Ordinal);
        var errorKinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        TimeSpan slowest = TimeSpan.Zero;
        string slowestKind = "";

        var total = Stopwatch.StartNew();
        var run = Task.Run(() =>
        {
            var one = new Stopwatch();
            for (int i = 0; i < iterations && failures.Count < 20; i++)
            {
                var input = mutator.Next();
                one.Restart();
                PassportValidationResult result;
                try
                {
                    result = verifier.ValidateAsync(input.Leaf, policy, input.Chain).AsTask().GetAwaiter().GetResult();
                }
                catch (Exception ex)
                {
                    failures.Add($"#{i} {input.Kind}: threw {ex.GetType().Name}: {ex.Message} at {ex.StackTrace?.Split('\n')[0]} input {input.Leaf}");
                    continue;
                }

                one.Stop();
                if (one.Elapsed > slowest)
                {
                    (slowest, slowestKind) = (one.Elapsed, input.Kind);
                }

                string family = input.Kind.Split(':')[0];
                kinds.TryGetValue(family, out var counts);
                if (result.Succeeded)
                {
                    kinds[family] = (counts.Accepted + 1, counts.Rejected);
                    if (input.MustReject || !IsAnOriginalPair(input, seeds))
                    {
                        failures.Add($"#{i} {input.Kind}: a mutated input was ACCEPTED");
                    }
                }
                else
                {
                    kinds[family] = (counts.Accepted, counts.Rejected + 1);
                    errorKinds[result.Error.Name] = errorKinds.GetValueOrDefault(result.Error.Name) + 1;
                }
            }
        });

        // No hang: the whole campaign is bounded (generous for a shared 2-core CI machine).
        await run.WaitAsync(TimeSpan.FromSeconds(60 + (iterations / 1000)));
        total.Stop();

        output.WriteLine($"seed {seed}: {iterations:N0} inputs in {total.Elapsed.TotalSeconds:F1} s = {iterations / total.Elapsed.TotalSeconds:N0} inputs/s; slowest input {slowest.TotalMilliseconds:F2} ms ({slowestKind})");
        foreach (var (kind, (accepted, rejected)) in kinds)
        {
            output.WriteLine($"  {kind,-20} accepted {accepted,7:N0} (unmutated pairs only)  rejected {rejected,8:N0}");
        }

        output.WriteLine("  errors: " + string.Join(", ", errorKinds.Select(e => $"{e.Key} {e.Value:N0}")));
        foreach (var failure in failures)
        {
            output.WriteLine("FAILURE " + failure);
        }

        Assert.Empty(failures);
        Assert.True(slowest < PerInputBound, $"slowest input took {slowest.TotalMilliseconds:F1} ms ({slowestKind})");
        Assert.True(kinds.Sum(k => k.Value.Rejected) > iterations / 2, "most inputs must be mutations that are rejected");
        Assert.True(kinds["resigned"].Rejected > 0, "re-signed JSON mutations must have run");
    }

    /// <summary>Accepted inputs must be, by signed content, an original valid pair: seed k with seeds 0..k−1 as its chain.</summary>
    private static bool IsAnOriginalPair(FuzzInput input, string[] seeds)
    {
        int k = Array.IndexOf(seeds, SignedContent(input.Leaf));
        return k >= 0 && input.Chain.Length == k && input.Chain.Select(SignedContent).SequenceEqual(seeds[..k]);
    }

    /// <summary>The signed part of a compact token (header.payload); the signature bytes may differ only by ECDSA malleability.</summary>
    private static string SignedContent(string token) => token.LastIndexOf('.') is int dot and > 0 ? token[..dot] : token;

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;
}
