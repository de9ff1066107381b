using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: valid baselines.</summary>
internal sealed partial class CorpusGenerator
{
    private void Baselines()
    {
        Category(0, "baseline", "baseline");
        Add("root-valid", "A root Passport as the issuer mints it.", Valid, Sign(Root()));
        Add("root-required-scope-ial2", "Root covering the required scope flights:book under an IAL2/AAL2/FAL2 floor.", Valid, Sign(Root()),
            policy: P(("requiredScope", "flights:book"), ("requireIal", 2), ("requireAal", 2), ("requireFal", 2)));
        var abc = ForgedChain.AliceBobCarol(rootMaxDepth: 3).Sign(Key);
        Add("alice-bob-carol-valid", "Alice → Bob → Carol with max_depth 3/2/1, verified with the chain.", Valid, abc[2], abc[..2],
            policy: P(("requiredScope", "flights:book"), ("requireIal", 2)));
        var prev = TokenForge.Sign(Root(), _keys.Previous);
        Add("root-signed-by-previous-key", "A root signed by the rotated-out key that is still in the JWKS.", Valid, prev, signedWith: "previous");
    }
}
