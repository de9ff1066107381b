using System.Text.Json.Nodes;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 3, kid abuse.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row03Kid()
    {
        Category(3, "kid", "kid abuse");
        JsonObject H(string kid)
        {
            var h = Header();
            h["kid"] = kid;
            return h;
        }

        Add("kid-unknown", "A well-formed thumbprint that no trusted key has.", E(PassportErrorKind.KeyNotFound), Sign(Root(), H(_keys.Attacker.KeyId)));
        Add("kid-path-traversal", "kid ../../../../dev/null.", E(PassportErrorKind.KeyNotFound), Sign(Root(), H("../../../../dev/null")));
        Add("kid-sql", "kid x' OR '1'='1.", E(PassportErrorKind.KeyNotFound), Sign(Root(), H("x' OR '1'='1")));
        Add("kid-empty", "kid \"\".", E(PassportErrorKind.InvalidToken), Sign(Root(), H("")));
        Add("kid-10kb", "A 10 KB kid (the token stays under the size cap).", E(PassportErrorKind.KeyNotFound), Sign(Root(), H(new string('k', 10 * 1024))));
        Add("kid-of-another-trusted-key", "Signed by the current key but naming the previous (also trusted) key's kid: no 'try every key'.", E(PassportErrorKind.InvalidSignature),
            Sign(Root(), H(_keys.Previous.KeyId)));
    }
}
