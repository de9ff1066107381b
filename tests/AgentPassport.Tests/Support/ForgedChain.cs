using System.Text.Json.Nodes;

namespace AgentPassport.Tests.Support;

/// <summary>
/// TEST-ONLY: a delegation chain held as claim objects (root first) that tests mutate, then sign root first with the
/// trusted key. Each child is re-linked (parent_jti, parent_hash) to its freshly signed parent unless the test
/// tampers with the link afterwards, so a forged chain breaks exactly the rule the test breaks.
/// </summary>
internal sealed class ForgedChain
{
    public ForgedChain(IEnumerable<JsonObject> claims) => Claims = [.. claims];

    public List<JsonObject> Claims { get; }

    /// <summary>Alice (root: flights:*, hotels:*, calendar:*) → Bob (flights:*) → Carol (flights:book), like the issuer mints them.</summary>
    public static ForgedChain AliceBobCarol(int? rootMaxDepth = null)
    {
        var alice = TokenForge.RootClaims();
        if (rootMaxDepth is int max)
        {
            alice[PassportClaimNames.MaxDepth] = max;
        }

        var bob = TokenForge.ChildClaims(alice, "agent:bob", ["flights:*"]);
        var carol = TokenForge.ChildClaims(bob, "agent:carol", ["flights:book"]);
        return new ForgedChain([alice, bob, carol]);
    }

    /// <summary>A root and <paramref name="hops"/> children, each named agent:N.</summary>
    public static ForgedChain OfDepth(int hops)
    {
        var list = new List<JsonObject> { TokenForge.RootClaims("agent:0", ["flights:*"]) };
        for (int i = 1; i <= hops; i++)
        {
            list.Add(TokenForge.ChildClaims(list[^1], $"agent:{i}", ["flights:*"]));
        }

        return new ForgedChain(list);
    }

    /// <summary>
    /// Signs every token root first. <paramref name="tamper"/> runs on each claim set after it was linked to its
    /// signed parent and before it is signed (index 0 = root), so it may also break the link itself.
    /// </summary>
    public string[] Sign(PassportSigningKey key, Action<int, JsonObject>? tamper = null, Func<int, PassportSigningKey>? keyFor = null)
    {
        var tokens = new string[Claims.Count];
        for (int i = 0; i < Claims.Count; i++)
        {
            var claims = (JsonObject)Claims[i].DeepClone();
            if (i > 0)
            {
                TokenForge.Link(claims, tokens[i - 1]);
            }

            tamper?.Invoke(i, claims);
            tokens[i] = TokenForge.Sign(claims, keyFor?.Invoke(i) ?? key);
        }

        return tokens;
    }
}
