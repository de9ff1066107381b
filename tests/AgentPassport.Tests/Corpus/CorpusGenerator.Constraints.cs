using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>
/// Corpus category 21 (spec v1.1 §13): argument constraints. Calls (the case's <c>arguments</c> against
/// <c>policy.requiredScope</c>) for each constraint kind, malformed claims, and a forged child for each attenuation pair.
/// </summary>
internal sealed partial class CorpusGenerator
{
    private void Constraints()
    {
        Category(21, "constraints", "argument constraints");
        var book = P(("requiredScope", "flights:book"));

        // One call per kind, allowed and refused; the edge cases of exact decimals, types and ordinal strings.
        (string Slug, string Constraint, string Arguments, bool Allowed, string Description)[] calls =
        [
            ("eq-allowed", """{"eq":"economy"}""", """{"v":"economy"}""", true, "eq on a string, the same string."),
            ("eq-other", """{"eq":"economy"}""", """{"v":"Economy"}""", false, "eq on a string, a different case (ordinal)."),
            ("eq-number-exact", """{"eq":500}""", """{"v":5e2}""", true, "eq 500 and the argument 5e2: equal as exact decimals."),
            ("eq-string-not-number", """{"eq":500}""", """{"v":"500"}""", false, "eq 500 and the string \"500\": types never convert."),
            ("eq-bool-not-string", """{"eq":true}""", """{"v":"true"}""", false, "eq true and the string \"true\"."),
            ("in-allowed", """{"in":["JFK","LGA"]}""", """{"v":"LGA"}""", true, "in, a listed value."),
            ("in-other", """{"in":["JFK","LGA"]}""", """{"v":"EWR"}""", false, "in, an unlisted value."),
            ("in-nfd", """{"in":["caf\u00e9"]}""", """{"v":"cafe\u0301"}""", false, "in NFC café, the argument in NFD: no normalization."),
            ("in-64", "{\"in\":[" + string.Join(",", Enumerable.Range(0, 64)) + "]}", """{"v":63}""", true, "in with 64 values (the maximum)."),
            ("max-equal", """{"max":500}""", """{"v":500}""", true, "max 500, the argument 500 (inclusive)."),
            ("max-trailing-zero", """{"max":500}""", """{"v":500.0}""", true, "max 500, the argument 500.0."),
            ("max-exponent", """{"max":500}""", """{"v":5e2}""", true, "max 500, the argument 5e2."),
            ("max-string", """{"max":500}""", """{"v":"500"}""", false, "max 500, the string \"500\"."),
            ("max-beyond-double", """{"max":500}""", """{"v":500.0000000000000000001}""", false, "max 500, 500.0000000000000000001 (a double rounds it to 500)."),
            ("max-huge", """{"max":500}""", """{"v":1e400}""", false, "max 500, 1e400: not exact, doubt denies."),
            ("min-huge", """{"min":0}""", """{"v":1e400}""", false, "min 0, 1e400: not exact, doubt denies."),
            ("min-negative-zero", """{"min":0}""", """{"v":-0}""", true, "min 0, the argument -0."),
            ("max-nan-string", """{"max":500}""", """{"v":"NaN"}""", false, "max 500, the string \"NaN\"."),
            ("range-null", """{"min":1,"max":500}""", """{"v":null}""", false, "a range, the argument null."),
            ("range-missing", """{"min":1,"max":500}""", """{}""", false, "a range, the argument missing."),
            ("prefix-allowed", """{"prefix":"/tmp/"}""", """{"v":"/tmp/a"}""", true, "prefix, a string starting with it."),
            ("prefix-case", """{"prefix":"/tmp/"}""", """{"v":"/TMP/a"}""", false, "prefix, a different case."),
            ("maxlength-allowed", """{"maxLength":2}""", """{"v":"\ud83d\ude00"}""", true, "maxLength 2, one emoji (2 UTF-16 code units)."),
            ("maxlength-over", """{"maxLength":3}""", """{"v":"abcd"}""", false, "maxLength 3, four characters."),
            ("regex-allowed", """{"regex":"[A-Z]{3}"}""", """{"v":"JFK"}""", true, "regex, a full match."),
            ("regex-partial", """{"regex":"[A-Z]{3}"}""", """{"v":"JFKX"}""", false, "regex, only a partial match (anchored)."),
            ("regex-final-newline", """{"regex":"[A-Z]{3}"}""", """{"v":"JFK\n"}""", false, "regex, a match followed by a newline ($ would accept it; \\z does not)."),
        ];
        foreach (var (slug, constraint, arguments, allowed, description) in calls)
        {
            Add(slug, description, allowed ? Valid : E(PassportErrorKind.ConstraintViolation), Sign(Constrained("{\"flights:book\":{\"v\":" + constraint + "}}")),
                policy: book, arguments: JsonNode.Parse(arguments)!.AsObject());
        }

        Add("unconstrained-scope", "A second, unconstrained entry covers the call.", Valid,
            Sign(Constrained("""{"flights:*":{"v":{"max":1}}}""", ["flights:*", "flights:book"])), policy: book, arguments: JsonNode.Parse("""{"v":900}""")!.AsObject());

        // Malformed claims.
        (string Slug, string Json, string Description)[] malformed =
        [
            ("unknown-kind", """{"flights:book":{"v":{"lt":5}}}""", "An unknown constraint kind."),
            ("in-empty", """{"flights:book":{"v":{"in":[]}}}""", "in with no values."),
            ("in-65", "{\"flights:book\":{\"v\":{\"in\":[" + string.Join(",", Enumerable.Range(0, 65)) + "]}}}", "in with 65 values."),
            ("min-above-max", """{"flights:book":{"v":{"min":5,"max":1}}}""", "min above max."),
            ("key-not-in-scope", """{"hotels:book":{"v":{"max":1}}}""", "A key that is not an entry of tool_scope."),
            ("two-kinds", """{"flights:book":{"v":{"max":1,"eq":1}}}""", "Two kinds in one constraint."),
            ("eq-null", """{"flights:book":{"v":{"eq":null}}}""", "eq null."),
            ("bound-inexact", """{"flights:book":{"v":{"max":1e400}}}""", "A bound beyond exact decimal range."),
            ("regex-backreference", """{"flights:book":{"v":{"regex":"(a)\\1"}}}""", "A backreference (needs backtracking)."),
            ("regex-too-long", "{\"flights:book\":{\"v\":{\"regex\":\"" + new string('a', 257) + "\"}}}", "A pattern of 257 characters."),
            ("not-object", """["flights:book"]""", "The claim is an array."),
        ];
        foreach (var (slug, json, description) in malformed)
        {
            Add(slug, description, E(PassportErrorKind.MalformedClaims), Sign(Constrained(json)));
        }

        // Attenuation: a child (Bob) constraining amount, under Alice's constraint; widening children are forged.
        (string Slug, string Parent, string? Child, bool Covered)[] pairs =
        [
            ("eq-eq", """{"eq":5}""", """{"eq":5.0}""", true),
            ("eq-eq-other", """{"eq":5}""", """{"eq":6}""", false),
            ("eq-in", """{"in":["JFK","LGA"]}""", """{"eq":"JFK"}""", true),
            ("in-in", """{"in":["JFK","LGA"]}""", """{"in":["LGA"]}""", true),
            ("in-in-wider", """{"in":["JFK","LGA"]}""", """{"in":["JFK","EWR"]}""", false),
            ("in-range", """{"min":1,"max":500}""", """{"in":[1,500]}""", true),
            ("in-range-outside", """{"min":1,"max":500}""", """{"in":[0,500]}""", false),
            ("eq-prefix", """{"prefix":"/tmp/"}""", """{"eq":"/tmp/a"}""", true),
            ("eq-maxlength", """{"maxLength":3}""", """{"eq":"abcd"}""", false),
            ("eq-regex", """{"regex":"[A-Z]{3}"}""", """{"eq":"JFK"}""", true),
            ("range-range", """{"min":1,"max":500}""", """{"min":10,"max":400}""", true),
            ("range-drops-bound", """{"min":1,"max":500}""", """{"max":400}""", false),
            ("range-wider", """{"max":500}""", """{"max":500.0000000000000000001}""", false),
            ("prefix-prefix", """{"prefix":"/tmp/"}""", """{"prefix":"/tmp/a/"}""", true),
            ("prefix-shorter", """{"prefix":"/tmp/"}""", """{"prefix":"/tmp"}""", false),
            ("maxlength-maxlength", """{"maxLength":3}""", """{"maxLength":2}""", true),
            ("maxlength-longer", """{"maxLength":3}""", """{"maxLength":4}""", false),
            ("regex-identical", """{"regex":"[A-Z]{3}"}""", """{"regex":"[A-Z]{3}"}""", true),
            ("regex-different", """{"regex":"[A-Z]{3}"}""", """{"regex":"[A-Z]{2}"}""", false),
            ("kind-change", """{"maxLength":3}""", """{"prefix":"a"}""", false),
            ("dropped", """{"max":500}""", null, false),
        ];
        foreach (var (slug, parent, child, covered) in pairs)
        {
            var alice = Root(["flights:book"]);
            alice[PassportClaimNames.Constraints] = JsonNode.Parse("{\"flights:book\":{\"amount\":" + parent + "}}");
            var bob = TokenForge.ChildClaims(alice, "agent:bob", ["flights:book"]);
            bob.Remove(PassportClaimNames.Constraints);
            if (child is not null)
            {
                bob[PassportClaimNames.Constraints] = JsonNode.Parse("{\"flights:book\":{\"amount\":" + child + ",\"extra\":{\"maxLength\":8}}}");
            }

            var tokens = new ForgedChain([alice, bob]).Sign(Key);
            Add("attenuation-" + slug, $"Alice constrains amount by {parent}; Bob by {child ?? "nothing"} (and adds a constraint on another argument).",
                covered ? Valid : E(PassportErrorKind.ChainBroken), tokens[1], tokens[..1], reason: covered ? ChainBrokenReason.None : ChainBrokenReason.ConstraintWidened);
        }
    }

    private static JsonObject Constrained(string constraintsJson, string[]? scopes = null)
    {
        var claims = Root(scopes ?? ["flights:book"]);
        claims[PassportClaimNames.Constraints] = JsonNode.Parse(constraintsJson);
        return claims;
    }
}
