using System.Text.Json.Nodes;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 6, typ.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row06Typ()
    {
        Category(6, "typ", "typ");
        JsonObject H(JsonNode? typ)
        {
            var h = Header();
            if (typ is null)
            {
                h.Remove("typ");
            }
            else
            {
                h["typ"] = typ;
            }

            return h;
        }

        Add("typ-missing", "No typ.", E(PassportErrorKind.InvalidToken), Sign(Root(), H(null)));
        Add("typ-JWT", "typ JWT.", E(PassportErrorKind.InvalidToken), Sign(Root(), H("JWT")));
        Add("typ-at-jwt", "typ at+jwt (an access token).", E(PassportErrorKind.InvalidToken), Sign(Root(), H("at+jwt")));
        Add("typ-uppercase", "typ AGENT-PASSPORT+JWT: media types compare case-insensitively (RFC 7515 §4.1.9).", Valid, Sign(Root(), H("AGENT-PASSPORT+JWT")));
        Add("typ-application-prefix", "typ Application/Agent-Passport+JWT: the application/ prefix may be present.", Valid, Sign(Root(), H("Application/Agent-Passport+JWT")));
        Add("typ-number", "typ 1 (not a string).", E(PassportErrorKind.InvalidToken), Sign(Root(), H(1)));
        Add("typ-trailing-space", "typ \"agent-passport+jwt \".", E(PassportErrorKind.InvalidToken), Sign(Root(), H("agent-passport+jwt ")));
    }
}
