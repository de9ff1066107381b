using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 14, chain splicing.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row14ChainSplicing()
    {
        Category(14, "chain-splicing", "chain splicing");
        var abc = ForgedChain.AliceBobCarol();
        var t = abc.Sign(Key);

        var untrusted = abc.Sign(Key, keyFor: i => i == 2 ? _keys.Attacker : Key);
        Add("child-signed-by-untrusted-key", "Carol signed by a key not in the JWKS.", E(PassportErrorKind.KeyNotFound), untrusted[2], untrusted[..2], signedWith: "untrusted");
        Add("reordered-hops", "Carol with the chain [Bob, Alice].", E(PassportErrorKind.ChainBroken), t[2], [t[1], t[0]], reason: ChainBrokenReason.ParentJtiMismatch);
        Add("dropped-middle-hop", "Carol with the chain [Alice].", E(PassportErrorKind.ChainBroken), t[2], [t[0]], reason: ChainBrokenReason.ActorMismatch);
        Add("duplicated-hop", "Carol with the chain [Alice, Bob, Bob].", E(PassportErrorKind.ChainBroken), t[2], [t[0], t[1], t[1]], reason: ChainBrokenReason.ActorMismatch,
            note: "The chain length no longer matches the act nesting, which is checked before the jti uniqueness.");
        var otherRoot = TokenForge.RootClaims(jti: "jti-agent:alice-second-session");
        Add("hop-from-another-chain-same-sub", "Bob spliced onto another root of the same principal.", E(PassportErrorKind.ChainBroken), t[2], [Sign(otherRoot), t[1]],
            reason: ChainBrokenReason.ParentJtiMismatch, index: 1);
        var hash = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c[PassportClaimNames.ParentHash] = PassportReader.ComputeParentHash(t[1]);
            }
        });
        Add("parent-hash-mismatch", "Carol bound to an earlier signing of Bob (same jti, other token).", E(PassportErrorKind.ChainBroken), hash[2], hash[..2], reason: ChainBrokenReason.ParentHashMismatch);
        var exp = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["exp"] = TokenForge.Unix(Now.AddMinutes(6));
            }
        });
        Add("child-exp-after-parent", "Carol outlives Bob.", E(PassportErrorKind.ChainBroken), exp[2], exp[..2], reason: ChainBrokenReason.ExpiryExceedsParent);
        var aud = ForgedChain.AliceBobCarol();
        aud.Claims[1]["aud"] = "https://service-b.example.com/";
        var audTokens = aud.Sign(Key);
        Add("child-aud-differs-from-parent", "Carol's audience differs from Bob's.", Valid, audTokens[2], audTokens[..2],
            note: "Spec §4/§5.6 have no audience-attenuation rule: each hop names its own single audience and only the leaf's is checked.");
        var act = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["act"] = new JsonObject { ["sub"] = "agent:carol", ["act"] = new JsonObject { ["sub"] = "agent:mallory", ["act"] = new JsonObject { ["sub"] = "agent:alice" } } };
            }
        });
        Add("act-not-parent-plus-one", "Carol's act names Mallory where Bob was.", E(PassportErrorKind.ChainBroken), act[2], act[..2], reason: ChainBrokenReason.ActorMismatch);
        var cycle = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["jti"] = "jti-agent:alice";
                c["act"] = new JsonObject { ["sub"] = "agent:alice", ["act"] = c["act"]!["act"]!.DeepClone() };
                c[PassportClaimNames.AgentId] = "agent:alice";
            }
        });
        Add("cycle-a-b-a", "Alice → Bob → Alice again, reusing the root's jti.", E(PassportErrorKind.ChainBroken), cycle[2], cycle[..2], reason: ChainBrokenReason.DuplicateJti);
        Add("depth-over-policy-cap", "A two-hop chain under a policy capping depth at 1.", E(PassportErrorKind.ChainBroken), t[2], t[..2], P(("maxChainDepth", 1)), ChainBrokenReason.DepthExceeded);
        var evil = abc.Sign(Key, (i, c) =>
        {
            if (i == 0)
            {
                c["iss"] = "https://evil-issuer.test";
            }
        });
        Add("root-not-trusted", "The chain root names an untrusted issuer.", E(PassportErrorKind.UntrustedIssuer), evil[2], evil[..2], index: 0);
    }
}
