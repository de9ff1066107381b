using System.Text.Json.Nodes;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 5, crit.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row05Crit()
    {
        Category(5, "crit", "crit");
        void Crit(string slug, string description, JsonNode crit, string? extraMember = null)
        {
            var h = Header();
            h["crit"] = crit;
            if (extraMember is not null)
            {
                h[extraMember] = true;
            }

            Add(slug, description, E(PassportErrorKind.InvalidToken), Sign(Root(), h));
        }

        Crit("crit-unknown-name", "crit [\"passport-ext\"] with the member present.", Arr("passport-ext"), "passport-ext");
        Crit("crit-empty-array", "crit [] (forbidden by RFC 7515).", new JsonArray());
        Crit("crit-standard-name", "crit [\"alg\"] (a standard name).", Arr("alg"));
        Crit("crit-absent-name", "crit [\"exp-ext\"] naming a member the header lacks.", Arr("exp-ext"));
        Crit("crit-not-array", "crit \"passport-ext\" (not an array).", JsonValue.Create("passport-ext"), "passport-ext");
    }
}
