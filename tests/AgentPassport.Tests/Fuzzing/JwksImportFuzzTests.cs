using System.Text;
using Xunit.Abstractions;

namespace AgentPassport.Tests.Fuzzing;

/// <summary>Bounded, seeded fuzzing of JWKS import (what a verifier trusts): any text either imports or fails with FormatException.</summary>
public sealed class JwksImportFuzzTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("{\"keys\":[{\"kty\":\"EC\",\"kid\":\"\\ud800\"}]}")]
    [InlineData("{\"keys\":[{\"\\udc00\":1}]}")]
    [InlineData("{\"\\ud800x\":1,\"keys\":[]}")]
    public void EscapedLoneSurrogate_IsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => Jwks.Import(json));
    }

    [Fact]
    public void MutatedJwks_ImportsOrFailsWithFormatException()
    {
        var rng = new Random(20261129);
        using var ec = PassportSigningKey.Generate();
        using var rsa = PassportSigningKey.Generate(PassportAlgorithms.RS256);
        string seed = Jwks.Export([ec.PublicKey, rsa.PublicKey]);
        string[] tokens = ["\"", "{", "}", "[", "]", ",", ":", "null", "0", "-1", "1e999", "\"\"", "\"AAAA\"", "\"EC\"", "\"RSA\"", "\"P-256\"", "\"verify\"", "\\u0000", "\uD800", "é"];
        var failures = new List<string>();
        int imported = 0, refused = 0;

        for (int i = 0; i < 20_000 && failures.Count < 10; i++)
        {
            var text = new StringBuilder(seed);
            for (int m = 1 + rng.Next(3); m > 0; m--)
            {
                int at = rng.Next(text.Length);
                switch (rng.Next(3))
                {
                    case 0:
                        text.Remove(at, Math.Min(1 + rng.Next(8), text.Length - at));
                        break;
                    case 1:
                        text.Insert(at, tokens[rng.Next(tokens.Length)]);
                        break;
                    default:
                        text[at] = (char)rng.Next(32, 127);
                        break;
                }
            }

            try
            {
                foreach (var key in Jwks.Import(text.ToString()))
                {
                    // Whatever is imported is a usable, self-consistent key.
                    Assert.Equal(key.KeyId, PassportVerificationKey.FromJwk(key.ToJwkJson()).KeyId);
                    imported++;
                }
            }
            catch (FormatException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                failures.Add($"#{i}: {ex.GetType().Name}: {ex.Message} {ex.StackTrace} INPUT {text}");
            }
        }

        output.WriteLine($"20,000 mutated JWKS: {imported:N0} keys imported, {refused:N0} documents refused, {failures.Count} other exceptions");
        foreach (var f in failures)
        {
            output.WriteLine("FAILURE " + f);
        }

        Assert.Empty(failures);
        Assert.True(imported > 0 && refused > 0);
    }
}
