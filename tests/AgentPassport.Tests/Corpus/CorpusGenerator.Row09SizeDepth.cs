using System.Text;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 9, size and depth.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row09SizeDepth()
    {
        Category(9, "size-depth", "size and depth");
        Add("size-at-cap", "A token of just under or exactly 16384 bytes (padded with an unknown claim).", Valid, Padded(PassportLimits.MaxTokenBytes, under: true));
        Add("size-over-cap", "A token of just over 16384 bytes.", E(PassportErrorKind.InvalidToken), Padded(PassportLimits.MaxTokenBytes, under: false));
        string good = Sign(Root());
        Add("five-part-jwe", "A five-segment (JWE-shaped) token.", E(PassportErrorKind.InvalidToken), good + ".AAAA.BBBB", signedWith: "none");
        Add("200k-dots", "200,000 '.' characters.", E(PassportErrorKind.InvalidToken), new string('.', 200_000), signedWith: "none");
        var deep = ForgedChain.OfDepth(PassportLimits.MaxChainDepth).Sign(Key);
        Add("act-depth-at-cap", "A chain 8 hops deep (act nests 9 actors), the format's cap.", Valid, deep[^1], deep[..^1]);
        var deeper = ForgedChain.OfDepth(PassportLimits.MaxChainDepth + 1).Sign(Key);
        // Nine parents are over the depth cap: refused by counting them, before the leaf (or its act) is parsed.
        Add("act-depth-over-cap", "A chain 9 hops deep: the leaf's act nests 10 actors.", E(PassportErrorKind.ChainBroken), deeper[^1], deeper[..^1], reason: ChainBrokenReason.DepthExceeded);
        string header = Json(Header());
        Add("json-depth-65", "An unknown claim nested 65 arrays deep.", E(PassportErrorKind.MalformedClaims),
            SignRaw(header, Append(Root(), "\"x-deep\":" + new string('[', 65) + new string(']', 65))));
        Add("array-5000-deep", "An unknown claim nested 5,000 arrays deep.", E(PassportErrorKind.MalformedClaims),
            SignRaw(header, Append(Root(), "\"x-deep\":" + new string('[', 5000) + new string(']', 5000))));
        var many = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            many.Append(i == 0 ? "" : ",").Append("\"c").Append(i).Append("\":0");
        }

        Add("20k-claims", "20,000 extra claims (far over the size cap).", E(PassportErrorKind.InvalidToken), SignRaw(header, Append(Root(), many.ToString())));
    }

    private string Padded(int target, bool under)
    {
        for (int pad = (target * 3 / 4) - 1200; ; pad++)
        {
            var c = Root();
            c["x-pad"] = new string('p', pad);
            string token = Sign(c);
            if (under ? token.Length >= target - 3 && token.Length <= target : token.Length > target)
            {
                return token;
            }
        }
    }
}
