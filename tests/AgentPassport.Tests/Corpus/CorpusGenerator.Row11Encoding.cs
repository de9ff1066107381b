using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 11, encoding and malleability.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row11Encoding()
    {
        Category(11, "encoding", "encoding and malleability");
        string payloadJson = Json(Root());
        string h = TokenForge.B64(Json(Header()));
        string p = TokenForge.B64(payloadJson);
        string good = TokenForge.SignSegments(h, p, Key);

        Add("header-padding", "'=' padding on the header segment (signed over the literal text).", E(PassportErrorKind.InvalidToken), TokenForge.SignSegments(h + "=", p, Key));
        Add("payload-padding", "'=' padding on the payload segment (signed over the literal text).", E(PassportErrorKind.InvalidToken), TokenForge.SignSegments(h, p + "==", Key));
        Add("signature-padding", "'=' padding on the signature segment.", E(PassportErrorKind.InvalidToken), good + "=", signedWith: "modified");
        Add("header-space", "A space inside the header segment (signed over the literal text).", E(PassportErrorKind.InvalidToken), TokenForge.SignSegments(h[..8] + " " + h[8..], p, Key));
        Add("payload-space", "A space inside the payload segment (signed over the literal text).", E(PassportErrorKind.InvalidToken), TokenForge.SignSegments(h, p[..8] + " " + p[8..], Key));
        string sig = good[(good.LastIndexOf('.') + 1)..];
        Add("signature-space", "A space inside the signature segment.", E(PassportErrorKind.InvalidToken), good[..(good.LastIndexOf('.') + 1)] + sig[..8] + " " + sig[8..], signedWith: "modified");

        string withUrlChars = good;
        while (withUrlChars[(withUrlChars.LastIndexOf('.') + 1)..].IndexOfAny(['-', '_']) < 0)
        {
            withUrlChars = TokenForge.SignSegments(h, p, Key);
        }

        int dot = withUrlChars.LastIndexOf('.');
        Add("signature-standard-alphabet", "The signature in the '+/' alphabet.", E(PassportErrorKind.InvalidToken),
            withUrlChars[..(dot + 1)] + withUrlChars[(dot + 1)..].Replace('-', '+').Replace('_', '/'), signedWith: "modified");
        Add("signature-unused-bits", "The last signature character with non-zero unused bits.", E(PassportErrorKind.InvalidToken), UnusedBits(good), signedWith: "modified");
        Add("trailing-newline", "The token followed by a newline.", E(PassportErrorKind.InvalidToken), good + "\n", signedWith: "modified");

        byte[] raw = SignatureTricks.SignatureOf(good);
        Add("high-s-twin", "The high-S twin (r, n − s) of a valid signature.", Valid, SignatureTricks.WithSignature(good, SignatureTricks.HighSTwin(raw)), signedWith: "modified",
            note: "ECDSA malleability: the twin is a valid signature of the same content (Wycheproof tc1 is 'valid'). Harmless for a single token; in a chain the twin has another parent_hash (see c-chain-continuity-05-high-s-twin-parent). Never use token strings as identities.");
        Add("signature-der", "The same (r, s) DER-encoded.", E(PassportErrorKind.InvalidSignature), SignatureTricks.WithSignature(good, SignatureTricks.ToDer(raw)), signedWith: "modified");
        Add("signature-63-bytes", "The signature without its last byte.", E(PassportErrorKind.InvalidSignature), SignatureTricks.WithSignature(good, raw[..63]), signedWith: "modified");
        Add("signature-65-bytes", "The signature with a zero byte appended.", E(PassportErrorKind.InvalidSignature), SignatureTricks.WithSignature(good, [.. raw, 0]), signedWith: "modified");
        Add("signature-r0-s0", "r = 0, s = 0 (the 'psychic signature').", E(PassportErrorKind.InvalidSignature), SignatureTricks.WithSignature(good, new byte[64]), signedWith: "modified");
    }

    private static string UnusedBits(string token)
    {
        // 64 bytes → 86 characters; the last one carries 4 unused bits.
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = Alphabet.IndexOf(token[^1], StringComparison.Ordinal);
        return token[..^1] + Alphabet[last | 1];
    }
}
