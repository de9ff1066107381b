using System.Globalization;
using AgentPassport.Identity.Tests.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Fuzzing;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace AgentPassport.Identity.Tests.IdTokens;

/// <summary>
/// Seeded fuzzing of the whole <see cref="IdTokenValidator"/> with JSON-escape mutations that are correctly signed by
/// the provider's key, so they reach the claim checks after the signature (issuer, audience, times, nonce, acr):
/// every input gives an identity or a typed <see cref="AgentPassportException"/>, and no input carrying a lone
/// surrogate is ever accepted. <c>AGENT_PASSPORT_FUZZ_ITERATIONS</c> scales it (this one runs a hundredth as many).
/// </summary>
public sealed class IdTokenValidatorFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = Oidc.FakeNow();
    private MockOpenIdProvider _op = null!;
    private OpenIdProviderClient _client = null!;

    public async Task InitializeAsync()
    {
        _op = await MockOpenIdProvider.StartNewAsync(new MockOpenIdProviderOptions { TimeProvider = _time });
        _client = Oidc.Client(_op.DiscoveryUrl, _time);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _op.DisposeAsync();
    }

    [Fact]
    public async Task SignedJsonEscapeMutations_OnlyEverGiveTypedResults()
    {
        int iterations = (int.TryParse(Environment.GetEnvironmentVariable("AGENT_PASSPORT_FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 200_000) / 100;
        var rng = new Random(20261129);
        var validator = Oidc.Validator(_client, _op.ClientId);
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        string header = $$"""{"alg":"{{_op.Tokens.CurrentAlgorithm}}","kid":"{{_op.Tokens.CurrentKeyId}}","typ":"JWT"}""";
        string payload = $$"""{"iss":"{{_op.Issuer}}","sub":"alice@example.gov","aud":"{{_op.ClientId}}","azp":"{{_op.ClientId}}","exp":{{now + 300}},"iat":{{now}},"nbf":{{now}},"nonce":"n-1","acr":"{{MockIdTokenOptions.Ial2}}","amr":["pwd","otp"]}""";
        Assert.Equal("alice@example.gov", (await validator.ValidateAsync(_op.Tokens.SignRaw(header, payload), "n-1")).Subject);
        var failures = new List<string>();
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);

        for (int i = 0; i < iterations && failures.Count < 10; i++)
        {
            bool inHeader = rng.Next(4) == 0;
            string h = inHeader ? JsonEscapeMutator.Mutate(header, rng) : header;
            string p = inHeader ? payload : JsonEscapeMutator.Mutate(payload, rng);
            bool loneSurrogate = JsonEscapeMutator.LoneSurrogates.Any(s => (h + p).Contains(s, StringComparison.Ordinal));
            string token = _op.Tokens.SignRaw(h, p);
            try
            {
                await validator.ValidateAsync(token, "n-1");
                kinds["accepted"] = kinds.GetValueOrDefault("accepted") + 1;
                if (loneSurrogate)
                {
                    failures.Add($"#{i}: ACCEPTED with a lone surrogate: {h} {p}");
                }
            }
            catch (AgentPassportException ex)
            {
                kinds[ex.Kind.ToString()] = kinds.GetValueOrDefault(ex.Kind.ToString()) + 1;
            }
            catch (Exception ex)
            {
                failures.Add($"#{i}: {ex.GetType().Name}: {ex.Message} header {h} payload {p}");
            }
        }

        output.WriteLine($"{iterations:N0} signed ID tokens: " + string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value:N0}")));
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(kinds.GetValueOrDefault("accepted") > 0 && kinds.GetValueOrDefault(nameof(PassportErrorKind.InvalidIdToken)) > 0);
    }
}
