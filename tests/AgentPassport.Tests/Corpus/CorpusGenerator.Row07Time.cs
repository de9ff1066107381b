using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 7, time.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row07Time()
    {
        Category(7, "time", "time");
        long now = TokenForge.Unix(Now);
        JsonObject T(long iat, long nbf, long exp)
        {
            var c = Root();
            c["iat"] = iat;
            c["nbf"] = nbf;
            c["exp"] = exp;
            return c;
        }

        Add("exp-past-beyond-skew", "exp = now − 31 s (skew 30 s).", E(PassportErrorKind.Expired), Sign(T(now - 900, now - 900, now - 31)));
        Add("exp-past-within-skew", "exp = now − 30 s: exactly at the skew boundary, accepted.", Valid, Sign(T(now - 900, now - 900, now - 30)));
        var missing = Root();
        missing.Remove("exp");
        Add("exp-missing", "No exp.", E(PassportErrorKind.MalformedClaims), Sign(missing));
        Add("exp-string", "exp as a JSON string.", E(PassportErrorKind.MalformedClaims), SignRaw(Json(Header()), WithRaw(Root(), "exp", $"\"{now + 900}\"")));
        Add("exp-float", "exp as a JSON float.", E(PassportErrorKind.MalformedClaims), SignRaw(Json(Header()), WithRaw(Root(), "exp", $"{now + 900}.5")));
        Add("exp-null", "exp null.", E(PassportErrorKind.MalformedClaims), SignRaw(Json(Header()), WithRaw(Root(), "exp", "null")));
        Add("exp-huge-1e20", "exp 1e20.", E(PassportErrorKind.MalformedClaims), SignRaw(Json(Header()), WithRaw(Root(), "exp", "1e20")));
        Add("exp-negative", "exp −1.", E(PassportErrorKind.MalformedClaims), Sign(T(now, now, -1)));
        Add("exp-past-datetime-max", "exp 253402300800 (year 10000, beyond DateTimeOffset.MaxValue).", E(PassportErrorKind.MalformedClaims), Sign(T(now, now, 253402300800)));
        Add("nbf-future", "nbf = now + 31 s.", E(PassportErrorKind.NotYetValid), Sign(T(now, now + 31, now + 900)));
        Add("nbf-after-exp", "nbf after exp (both in the future).", E(PassportErrorKind.MalformedClaims), Sign(T(now, now + 120, now + 60)));
        Add("iat-future", "iat = now + 31 s with nbf = now.", E(PassportErrorKind.NotYetValid), Sign(T(now + 31, now, now + 900)),
            note: "A future iat is reported as NotYetValid (spec §5 step 4 names Expired/NotYetValid/MalformedClaims for the time checks).");
        Add("lifetime-over-cap", "exp − iat = 24 h + 1 s.", E(PassportErrorKind.MalformedClaims), Sign(T(now, now, now + 86401)));
        var chain = ForgedChain.AliceBobCarol().Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c["exp"] = now + 301 + 60;
            }
        });
        Add("child-exp-after-parent", "Carol's exp is after Bob's.", E(PassportErrorKind.ChainBroken), chain[2], chain[..2], reason: ChainBrokenReason.ExpiryExceedsParent);
    }
}
