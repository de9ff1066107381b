using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 1, alg none and case variants, empty/missing signature.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row01AlgNone()
    {
        Category(1, "alg-none", "alg none and case variants, empty/missing signature");
        string payload = TokenForge.B64(Json(Root()));
        string NoneHeader(string alg) => TokenForge.B64(Json(new JsonObject { ["alg"] = alg, ["typ"] = PassportClaimNames.TokenType, ["kid"] = Key.KeyId }));

        Add("alg-none-empty-signature", "alg none with an empty signature segment.", E(PassportErrorKind.InvalidToken),
            NoneHeader("none") + "." + payload + ".", signedWith: "none", note: "Refused at the segment split (three non-empty segments) before alg is read.");
        Add("alg-NoNe-signed", "alg NoNe with a real ES256 signature of the trusted key.", E(PassportErrorKind.AlgorithmNotAllowed),
            TokenForge.SignSegments(NoneHeader("NoNe"), payload, Key));
        Add("alg-NONE-garbage-signature", "alg NONE with a 3-byte signature.", E(PassportErrorKind.AlgorithmNotAllowed),
            NoneHeader("NONE") + "." + payload + ".AAAA", signedWith: "none");
        string good = Sign(Root());
        Add("es256-empty-signature", "alg ES256 with the signature segment emptied.", E(PassportErrorKind.InvalidToken),
            good[..(good.LastIndexOf('.') + 1)], signedWith: "none");
        Add("two-segments", "header.payload with no signature segment at all.", E(PassportErrorKind.InvalidToken),
            good[..good.LastIndexOf('.')], signedWith: "none");
        Add("policy-allows-none", "A policy listing 'none' (the RequireSignedTokens=false misconfiguration) cannot be built.", "InvalidPolicy",
            good, policy: P(("allowedAlgorithms", Arr("ES256", "none"))));
    }
}
