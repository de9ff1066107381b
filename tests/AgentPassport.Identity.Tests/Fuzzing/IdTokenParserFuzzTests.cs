using System.Globalization;
using System.Text;
using AgentPassport.Identity.Tests.Support;
using AgentPassport.TestSupport.Fuzzing;
using Xunit.Abstractions;

namespace AgentPassport.Identity.Tests.Fuzzing;

/// <summary>
/// Bounded, seeded mutation fuzzing of the ID token parser (<c>IdTokenParts.Parse</c>, the first step of ID token
/// validation): whatever the input, it returns or throws <see cref="AgentPassportException"/>, nothing else. Besides
/// byte-level edits, a quarter of the inputs carry <see cref="JsonEscapeMutator"/> edits of the decoded JSON.
/// <c>AGENT_PASSPORT_FUZZ_ITERATIONS</c> scales it like the Passport fuzzer (this one runs half as many inputs).
/// </summary>
public sealed class IdTokenParserFuzzTests(ITestOutputHelper output)
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Fact]
    public void MutatedIdTokens_OnlyEverFailAsTypedErrors()
    {
        int iterations = (int.TryParse(Environment.GetEnvironmentVariable("AGENT_PASSPORT_FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 200_000) / 2;
        var rng = new Random(20261129);
        string header = Base64UrlText.B64("""{"alg":"RS256","kid":"key-1","typ":"JWT"}""");
        string payload = Base64UrlText.B64("""{"iss":"https://csp.example.com","sub":"user-1","aud":"client","exp":1780316100,"iat":1780315200,"nonce":"n-0S6_WzA2Mj","acr":"http://idmanagement.gov/ns/assurance/ial/2"}""");
        byte[] sig = new byte[256];
        rng.NextBytes(sig);
        string seed = $"{header}.{payload}.{Base64UrlText.B64(sig)}";
        var failures = new List<string>();
        int parsed = 0, refused = 0;

        for (int i = 0; i < iterations && failures.Count < 10; i++)
        {
            string input = Mutate(seed, rng);
            try
            {
                using var parts = IdTokenParts.Parse(input, 16 * 1024, ["RS256", "ES256"]);
                parsed++;
            }
            catch (AgentPassportException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                failures.Add($"#{i}: {ex.GetType().Name}: {ex.Message} input {input}");
            }
        }

        output.WriteLine($"{iterations:N0} ID token inputs: {parsed:N0} parsed, {refused:N0} refused as typed errors, {failures.Count} other exceptions");
        foreach (var f in failures)
        {
            output.WriteLine("FAILURE " + f);
        }

        Assert.Empty(failures);
        Assert.True(refused > iterations / 2 && parsed > 0);
    }

    private static string Mutate(string token, Random rng)
    {
        var parts = token.Split('.');
        switch (rng.Next(8))
        {
            case 6:
            case 7:
                // JSON-escape edits of the decoded header or payload: lone surrogates, \u0000, malformed and
                // over-long escapes inside values and member names, and member names spelled as escapes.
                int target = rng.Next(2);
                parts[target] = Base64UrlText.B64(JsonEscapeMutator.Mutate(Encoding.UTF8.GetString(Base64UrlText.Unb64(parts[target])), rng));
                return string.Join('.', parts);
            case 0:
                var chars = token.ToCharArray();
                chars[rng.Next(chars.Length)] = rng.Next(10) == 0 ? ".= +/\n\0é"[rng.Next(8)] : Alphabet[rng.Next(Alphabet.Length)];
                return new string(chars);
            case 1:
                int at = rng.Next(token.Length);
                return token.Remove(at, 1 + rng.Next(Math.Min(3, token.Length - at)));
            case 2:
                (parts[0], parts[1]) = (parts[1], parts[0]);
                return string.Join('.', parts);
            case 3:
                // Raw bytes (invalid UTF-8 included) in the decoded header or payload.
                int which = rng.Next(2);
                var bytes = new List<byte>(Base64UrlText.Unb64(parts[which]));
                bytes.Insert(rng.Next(bytes.Count), (byte)rng.Next(256));
                parts[which] = Base64UrlText.B64(bytes.ToArray());
                return string.Join('.', parts);
            case 4:
                // JSON-level edits of the decoded header or payload.
                int w = rng.Next(2);
                string json = Encoding.UTF8.GetString(Base64UrlText.Unb64(parts[w]));
                json = rng.Next(4) switch
                {
                    0 => json[..^1] + ",\"alg\":\"none\"}",
                    1 => json.Replace("\"", "", StringComparison.Ordinal),
                    2 => new string('[', 30) + json + new string(']', 30),
                    _ => json.Insert(rng.Next(json.Length), ((char)rng.Next(32, 127)).ToString()),
                };
                parts[w] = Base64UrlText.B64(json);
                return string.Join('.', parts);
            default:
                return token[..rng.Next(token.Length)];
        }
    }
}
