using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AgentPassport;

/// <summary>
/// The JSON-level target: an input whose first line is a header JSON text and whose second line is a payload JSON text
/// is signed with the harness's own ES256 key (<c>%KID%</c> in the header becomes its kid), so mutations of the JSON
/// itself — escapes such as <c>\ud800</c>, <c>\u0000</c>, escaped member names, duplicates — reach the claim checks after
/// the signature. The signed token then goes to the Passport verifier (which trusts that key), the unverified reader
/// and the ID-token validator (whose in-memory provider publishes that key); each may only give a typed result.
/// </summary>
internal static partial class JsonTarget
{
    public const string KidPlaceholder = "%KID%";
    public const string IdTokenIssuer = "https://csp.fuzz.example";
    public const string ClientId = "fuzz-client";

    private static readonly ECDsa Signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly PassportSigningKey Key = PassportSigningKey.FromECDsa(Signer);

    public static string KeyId => Key.KeyId;

    public static PassportVerificationKey PublicKey => Key.PublicKey;

    public static bool Accepts(string text) => text.StartsWith('{');

    /// <summary>Signs the two JSON lines into a compact JWS.</summary>
    public static string Sign(string headerJson, string payloadJson)
    {
        string input = B64(Encoding.UTF8.GetBytes(headerJson.Replace(KidPlaceholder, Key.KeyId, StringComparison.Ordinal)))
            + "." + B64(Encoding.UTF8.GetBytes(payloadJson));
        byte[] signature = Signer.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + B64(signature);
    }

    /// <summary>Seed pairs: the decoded corpus tokens (Passports) re-pointed at the harness key, and ID tokens valid at <paramref name="now"/>.</summary>
    public static IEnumerable<(string Name, string Header, string Payload)> Seeds(IEnumerable<(string Name, string Token)> corpus, long now)
    {
        foreach (var (name, token) in corpus)
        {
            // Text edits only: malformed corpus cases (duplicate members, odd types) stay malformed seeds.
            var parts = token.Trim().Split('.');
            if (parts.Length != 3 || !TryUnb64(parts[0], out var header) || !TryUnb64(parts[1], out var payload))
            {
                continue;
            }

            string headerJson = KidMember().Replace(Encoding.UTF8.GetString(header), $"\"kid\":\"{KidPlaceholder}\"");
            yield return ("json-" + name, headerJson, Encoding.UTF8.GetString(payload).ReplaceLineEndings(" "));
        }

        string idHeader = $$"""{"alg":"ES256","kid":"{{KidPlaceholder}}","typ":"JWT"}""";
        yield return ("idtoken-ial2", idHeader, $$"""{"iss":"{{IdTokenIssuer}}","sub":"alice","aud":"{{ClientId}}","exp":{{now + 300}},"iat":{{now}},"nbf":{{now}},"acr":"http://idmanagement.gov/ns/assurance/ial/2"}""");
        yield return ("idtoken-azp", idHeader, $$"""{"iss":"{{IdTokenIssuer}}","sub":"b\u00e9","aud":["{{ClientId}}","other"],"azp":"{{ClientId}}","exp":{{now + 60}},"iat":{{now}},"nonce":"n"}""");
        yield return ("idtoken-escapes", idHeader, $$"""{"\u0069ss":"{{IdTokenIssuer}}","sub":"\ud83d\ude00","aud":"{{ClientId}}","exp":{{now + 60}},"iat":{{now}},"x":"\u0000"}""");
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryUnb64(string segment, out byte[] bytes)
    {
        string b64 = segment.Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
        bytes = new byte[b64.Length];
        bool ok = Convert.TryFromBase64String(b64, bytes, out int written);
        bytes = bytes[..written];
        return ok;
    }

    [GeneratedRegex("\"kid\"\\s*:\\s*\"[^\"]*\"")]
    private static partial Regex KidMember();
}
