
namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 8, duplicate member names.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row08Duplicates()
    {
        Category(8, "duplicates", "duplicate member names");
        string payload = Json(Root());
        string typ = PassportClaimNames.TokenType;
        Add("header-alg-none-then-es256", "Header {alg:none,…,alg:ES256}.", E(PassportErrorKind.MalformedClaims),
            SignRaw($"{{\"alg\":\"none\",\"typ\":\"{typ}\",\"kid\":\"{Key.KeyId}\",\"alg\":\"ES256\"}}", payload));
        Add("header-alg-es256-then-none", "Header {alg:ES256,…,alg:none}.", E(PassportErrorKind.MalformedClaims),
            SignRaw($"{{\"alg\":\"ES256\",\"typ\":\"{typ}\",\"kid\":\"{Key.KeyId}\",\"alg\":\"none\"}}", payload));
        Add("header-kid-twice", "Header with kid twice (trusted kid last).", E(PassportErrorKind.MalformedClaims),
            SignRaw($"{{\"alg\":\"ES256\",\"typ\":\"{typ}\",\"kid\":\"unknown\",\"kid\":\"{Key.KeyId}\"}}", payload));
        string header = Json(Header());
        Add("payload-sub-twice", "sub twice: {sub:alice,…,sub:mallory}.", E(PassportErrorKind.MalformedClaims), SignRaw(header, Append(Root(), "\"sub\":\"user-mallory\"")));
        Add("payload-aud-twice", "aud twice.", E(PassportErrorKind.MalformedClaims), SignRaw(header, Append(Root(), "\"aud\":\"https://other.example.com/\"")));
        Add("payload-act-twice", "act twice at the top level.", E(PassportErrorKind.MalformedClaims), SignRaw(header, Append(Root(), "\"act\":{\"sub\":\"agent:mallory\"}")));
        Add("nested-act-sub-twice", "A nested act object with sub twice.", E(PassportErrorKind.MalformedClaims),
            SignRaw(header, WithRaw(Root(), "act", "{\"sub\":\"agent:alice\",\"sub\":\"agent:mallory\"}")));
    }
}
