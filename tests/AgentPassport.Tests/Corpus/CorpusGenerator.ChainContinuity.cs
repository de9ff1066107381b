using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: chain continuity in depth (spec §5.6).</summary>
internal sealed partial class CorpusGenerator
{
    private void ChainContinuity()
    {
        Category(20, "chain-continuity", "chain continuity (spec §5.6)");
        var abc = ForgedChain.AliceBobCarol(rootMaxDepth: 3);
        var t = abc.Sign(Key);
        string[] Tamper(int at, Action<JsonObject> change) => abc.Sign(Key, (i, c) =>
        {
            if (i == at)
            {
                change(c);
            }
        });
        void Broken(string slug, string description, string[] tokens, ChainBrokenReason reason, int? index = null, JsonObject? policy = null, string? note = null) =>
            Add(slug, description, E(PassportErrorKind.ChainBroken), tokens[^1], tokens[..^1], policy, reason, index, note: note);

        Add("missing-chain", "Carol without her chain.", E(PassportErrorKind.ChainBroken), t[2], [], reason: ChainBrokenReason.MissingChain);
        Add("unexpected-chain", "Alice's root with a chain.", E(PassportErrorKind.ChainBroken), t[0], [Sign(TokenForge.RootClaims("agent:zed"))], reason: ChainBrokenReason.UnexpectedChain);
        Broken("parent-jti-mismatch", "Carol names another parent_jti.", Tamper(2, c => c[PassportClaimNames.ParentJti] = "jti-someone-else"), ChainBrokenReason.ParentJtiMismatch);
        Broken("parent-hash-mismatch", "Carol's parent_hash is of another token.", Tamper(2, c => c[PassportClaimNames.ParentHash] = PassportReader.ComputeParentHash("x.y.z")), ChainBrokenReason.ParentHashMismatch);
        var twin = SignatureTricks.WithSignature(t[1], SignatureTricks.HighSTwin(SignatureTricks.SignatureOf(t[1])));
        Add("high-s-twin-parent", "Bob replaced by his high-S twin (valid signature, other serialization).", E(PassportErrorKind.ChainBroken), t[2], [t[0], twin],
            reason: ChainBrokenReason.ParentHashMismatch, note: "parent_hash binds the exact serialization, so the malleable twin cannot stand in for the parent.");
        Broken("subject-mismatch", "Carol acts for another principal.", Tamper(2, c => c["sub"] = "user-mallory"), ChainBrokenReason.SubjectMismatch);
        Broken("actor-mismatch", "Carol's act rewrites Bob.", Tamper(2, c => c["act"] = new JsonObject
        {
            ["sub"] = "agent:carol",
            ["act"] = new JsonObject { ["sub"] = "agent:mallory", ["act"] = new JsonObject { ["sub"] = "agent:alice" } },
        }), ChainBrokenReason.ActorMismatch);
        Broken("expiry-exceeds-parent", "Carol outlives Bob.", Tamper(2, c => c["exp"] = TokenForge.Unix(Now.AddMinutes(6))), ChainBrokenReason.ExpiryExceedsParent);
        Broken("scope-not-attenuated", "Carol holds hotels:book.", Tamper(2, c => c[PassportClaimNames.ToolScope] = Arr("hotels:book")), ChainBrokenReason.ScopeNotAttenuated);
        Broken("level-appeared", "Bob has no IAL; Carol claims IAL 2.", Tamper(1, c => c.Remove("ial")), ChainBrokenReason.LevelAppeared);
        Broken("level-raised", "Carol raises AAL to 3.", Tamper(2, c => c["aal"] = 3), ChainBrokenReason.LevelRaised);
        Broken("max-depth-not-decreasing", "Carol keeps Bob's max_depth 2.", Tamper(2, c => c[PassportClaimNames.MaxDepth] = 2), ChainBrokenReason.MaxDepthNotDecreasing);
        Broken("max-depth-dropped", "Carol drops max_depth.", Tamper(2, c => c.Remove(PassportClaimNames.MaxDepth)), ChainBrokenReason.MaxDepthNotDecreasing);
        var zero = ForgedChain.AliceBobCarol(rootMaxDepth: 1).Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c.Remove(PassportClaimNames.MaxDepth);
            }
        });
        Broken("depth-exceeded-max-depth-zero", "Bob has max_depth 0 and still delegates to Carol.", zero, ChainBrokenReason.DepthExceeded);
        Broken("depth-exceeded-policy", "Two hops under a policy cap of 1.", t, ChainBrokenReason.DepthExceeded, policy: P(("maxChainDepth", 1)));
        Broken("duplicate-jti", "Carol reuses Alice's jti.", Tamper(2, c => c["jti"] = "jti-agent:alice"), ChainBrokenReason.DuplicateJti);
        Broken("root-has-parent", "Alice carries parent claims.", Tamper(0, c =>
        {
            c[PassportClaimNames.ParentJti] = "jti-ghost";
            c[PassportClaimNames.ParentHash] = PassportReader.ComputeParentHash("ghost.token.x");
        }), ChainBrokenReason.RootHasParent, 0);
        Broken("parent-claims-incomplete", "Bob has two actors but no link claims.", Tamper(1, c =>
        {
            c.Remove(PassportClaimNames.ParentJti);
            c.Remove(PassportClaimNames.ParentHash);
        }), ChainBrokenReason.ParentClaimsIncomplete, 1);
        var half = Tamper(2, c => c.Remove(PassportClaimNames.ParentHash));
        Add("half-link-claims", "Carol has parent_jti but no parent_hash.", E(PassportErrorKind.MalformedClaims), half[2], half[..2],
            note: "The claim schema requires parent_jti and parent_hash together, so this is MalformedClaims before any chain rule.");
        var expired = ForgedChain.AliceBobCarol().Sign(Key, (i, c) =>
        {
            if (i == 0)
            {
                c["iat"] = TokenForge.Unix(Now.AddHours(-1));
                c["nbf"] = TokenForge.Unix(Now.AddHours(-1));
                c["exp"] = TokenForge.Unix(Now.AddMinutes(-5));
            }
        });
        Add("expired-root", "Alice's root expired 5 minutes ago; Bob and Carol are still live.", E(PassportErrorKind.Expired), expired[2], expired[..2], index: 0);
        byte[] flipped = SignatureTricks.SignatureOf(t[1]);
        flipped[10] ^= 0x01;
        var badBob = SignatureTricks.WithSignature(t[1], flipped);
        var relinked = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                TokenForge.Link(c, badBob);
            }
        });
        Add("parent-bad-signature", "Bob's signature does not verify (Carol is correctly linked to that Bob).", E(PassportErrorKind.InvalidSignature), relinked[2], [t[0], badBob], index: 1);
        var wild = new ForgedChain([TokenForge.RootClaims(scopes: ["*"])]);
        wild.Claims.Add(TokenForge.ChildClaims(wild.Claims[0], "agent:bob", ["flights:book"]));
        var w = wild.Sign(Key);
        Add("wildcard-root-concrete-leaf", "Alice holds '*', Bob flights:book; no-wildcard policy.", Valid, w[1], w[..1],
            note: "The wildcard ban is a leaf check (spec §5 step 5); a parent holding '*' may delegate a concrete scope.");

        // Spec v1.1 §10: per-issuer keys, one issuer per chain, acr never drifts.
        var bothIssuers = new JsonObject { ["issuers"] = new JsonArray(Issuer, OtherIssuer) };
        Add("kid-of-another-trusted-issuer", "iss is the corpus issuer but the kid and signature are the other trusted issuer's key.", E(PassportErrorKind.KeyNotFound),
            TokenForge.Sign(Root(), _keys.Attacker), policy: bothIssuers, signedWith: "untrusted",
            note: "Spec v1.1 §10: a kid is looked up only in the key set of the token's own iss.");
        var otherLeaf = abc.Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["iss"] = OtherIssuer;
            }
        }, i => i == 2 ? _keys.Attacker : Key);
        Add("issuer-changed", "Carol is signed by the other trusted issuer under the corpus issuer's Alice and Bob.", E(PassportErrorKind.ChainBroken), otherLeaf[2], otherLeaf[..2],
            bothIssuers, ChainBrokenReason.IssuerChanged, 1, signedWith: "untrusted", note: "Every link keeps the leaf's iss; the index names the link whose issuer differs.");
        Broken("acr-changed", "Carol claims ial/3 as her acr under Bob's ial/2.", Tamper(2, c => c["acr"] = "http://idmanagement.gov/ns/assurance/ial/3"), ChainBrokenReason.AcrChanged);
    }
}
