using System.Text.Json.Nodes;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 10, aud and iss strings.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row10AudIss()
    {
        Category(10, "aud-iss", "aud and iss strings");
        string WithAud(JsonNode? aud)
        {
            var c = Root();
            c["aud"] = aud;
            return Sign(c);
        }

        Add("aud-no-trailing-slash", "aud without the policy's trailing slash.", E(PassportErrorKind.AudienceMismatch), WithAud("https://flights-mcp.example.com"));
        Add("aud-uppercase", "aud in upper case.", E(PassportErrorKind.AudienceMismatch), WithAud("HTTPS://FLIGHTS-MCP.EXAMPLE.COM/"));
        Add("aud-zwsp", "aud with a trailing zero-width space.", E(PassportErrorKind.AudienceMismatch), WithAud(Audience + "\u200B"));
        Add("aud-nbsp", "aud with a leading no-break space.", E(PassportErrorKind.AudienceMismatch), WithAud("\u00A0" + Audience));
        Add("aud-leading-space", "aud with a leading space.", E(PassportErrorKind.AudienceMismatch), WithAud(" " + Audience));
        Add("aud-fullwidth", "aud with a fullwidth 'ｆ'.", E(PassportErrorKind.AudienceMismatch), WithAud("https://\uFF46lights-mcp.example.com/"));
        Add("aud-nfd-vs-nfc", "aud in NFD where the policy's audience is NFC.", E(PassportErrorKind.AudienceMismatch), WithAud("https://cafe\u0301.example.com/"),
            policy: P(("audience", "https://caf\u00E9.example.com/")));
        Add("aud-array-with-extra", "aud as an array holding the audience and another.", E(PassportErrorKind.MalformedClaims), WithAud(Arr(Audience, "https://other.example.com/")));
        Add("aud-empty-array", "aud [].", E(PassportErrorKind.MalformedClaims), WithAud(new JsonArray()));
        var missing = Root();
        missing.Remove("aud");
        Add("aud-missing", "No aud.", E(PassportErrorKind.MalformedClaims), Sign(missing));
        var iss = Root();
        iss["iss"] = Issuer + "/";
        Add("iss-trailing-slash", "iss with a trailing slash.", E(PassportErrorKind.UntrustedIssuer), Sign(iss));
    }
}
