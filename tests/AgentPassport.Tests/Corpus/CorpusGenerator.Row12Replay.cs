using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 12, replay and jti.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row12Replay()
    {
        Category(12, "replay", "replay and jti");
        var missing = Root();
        missing.Remove("jti");
        Add("jti-missing", "No jti.", E(PassportErrorKind.MalformedClaims), Sign(missing));
        var empty = Root();
        empty["jti"] = "";
        Add("jti-empty", "jti \"\".", E(PassportErrorKind.MalformedClaims), Sign(empty));
        var number = Root();
        number["jti"] = 42;
        Add("jti-number", "jti as a number.", E(PassportErrorKind.MalformedClaims), Sign(number));
        var chain = ForgedChain.AliceBobCarol().Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["jti"] = "jti-agent:bob";
            }
        });
        Add("jti-repeated-in-chain", "Carol reuses Bob's jti (a replayed hop).", E(PassportErrorKind.ChainBroken), chain[2], chain[..2], reason: ChainBrokenReason.DuplicateJti,
            note: "Cross-request replay (the same token twice) is not a stateless verifier's decision: spec §5 reserves ReplayDetected for a replay cache.");
    }
}
