using AgentPassport.Tests.Support;

namespace AgentPassport.Tests.Corpus;

/// <summary>Corpus category: security-perf-notes row 15, scope escalation.</summary>
internal sealed partial class CorpusGenerator
{
    private void Row15ScopeEscalation()
    {
        Category(15, "scope-escalation", "scope escalation");
        var super = ForgedChain.AliceBobCarol().Sign(Key, (i, c) =>
        {
            if (i == 2)
            {
                c[PassportClaimNames.ToolScope] = Arr("flights:book", "hotels:book");
            }
        });
        Add("child-superset", "Carol adds hotels:book to what Bob holds.", E(PassportErrorKind.ChainBroken), super[2], super[..2], reason: ChainBrokenReason.ScopeNotAttenuated);
        Add("wildcard-all", "tool_scope [\"*\"] under a no-wildcard policy.", E(PassportErrorKind.WildcardScopeNotAllowed), Sign(Root(["*"])));
        var tools = new ForgedChain([TokenForge.RootClaims(scopes: ["tools:read"])]);
        tools.Claims.Add(TokenForge.ChildClaims(tools.Claims[0], "agent:bob", ["tools:*"]));
        var tt = tools.Sign(Key);
        Add("pattern-under-concrete", "Bob holds tools:* under Alice's tools:read.", E(PassportErrorKind.ChainBroken), tt[1], tt[..1], reason: ChainBrokenReason.ScopeNotAttenuated);
        Add("bare-prefix", "tool_scope [\"flights\"] where flights:book is required.", E(PassportErrorKind.ScopeViolation), Sign(Root(["flights"])), policy: P(("requiredScope", "flights:book")));
        Add("case-variant", "tool_scope [\"Flights:book\"] where flights:book is required.", E(PassportErrorKind.ScopeViolation), Sign(Root(["Flights:book"])), policy: P(("requiredScope", "flights:book")));
        Add("confusable", "tool_scope with a Cyrillic 'і' in flіghts:book.", E(PassportErrorKind.MalformedClaims), Sign(Root(["fl\u0456ghts:book"])));
        Add("tab-separated", "Two scopes in one string separated by a tab.", E(PassportErrorKind.MalformedClaims), Sign(Root(["flights:search\tflights:book"])));
        Add("duplicates", "flights:book listed twice.", E(PassportErrorKind.MalformedClaims), Sign(Root(["flights:book", "flights:book"])));
        Add("empty-set", "tool_scope [] where flights:book is required.", E(PassportErrorKind.ScopeViolation), Sign(Root([])), policy: P(("requiredScope", "flights:book")));
        var str = Root();
        str[PassportClaimNames.ToolScope] = "flights:book";
        Add("string-not-array", "tool_scope as a string.", E(PassportErrorKind.MalformedClaims), Sign(str));
    }
}
