using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 13, audience substitution.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row13AudienceSubstitution()
    {
        Category(13, "aud-substitution", "audience substitution");
        var hotels = Root();
        hotels["aud"] = "https://hotels-mcp.example.com/";
        Add("token-for-tool-a-at-tool-b", "A token minted for the hotels tool presented to the flights tool.", E(PassportErrorKind.AudienceMismatch), Sign(hotels));
        var chain = ForgedChain.AliceBobCarol();
        chain.Claims[1]["aud"] = "https://service-b.example.com/";
        var t = chain.Sign(Key);
        Add("parent-token-as-leaf", "Bob's token (for service-b) taken from Carol's chain and presented to Carol's audience.", E(PassportErrorKind.AudienceMismatch), t[1], t[..1]);
        var arr = Root();
        arr["aud"] = Arr("https://hotels-mcp.example.com/", Audience);
        Add("aud-array-both-tools", "aud [hotels, flights].", E(PassportErrorKind.MalformedClaims), Sign(arr));
    }
}
