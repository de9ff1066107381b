using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Properties;

/// <summary>
/// Property-based (FsCheck): no random sequence of delegations widens scope, extends lifetime, raises assurance or
/// exceeds the depth cap — at issuance (the issuer refuses or mints a narrower child) and at verification of forged,
/// correctly signed chains (the verifier accepts only chains that narrow at every hop).
/// </summary>
public sealed class DelegationProperties(Xunit.Abstractions.ITestOutputHelper output)
{
    private int _minted;
    private int _refused;

    /// <summary>Scopes over a small alphabet so that random sets overlap, nest and collide often (one-character segments included).</summary>
    internal static readonly string[] Universe =
    [
        "*", "a", "a:*", "a:b", "a:b:*", "a:b:c", "a:c", "a:bc", "ab", "ab:*", "ab:c", "b", "b:*", "b:a", "b:a:*", "c:a",
    ];

    /// <summary>Every concrete scope of up to three segments over {a, b, c, ab, bc}: the semantic yardstick for "covers".</summary>
    internal static readonly string[] Concrete = BuildConcrete();

    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(120);

    private static Gen<string[]> ScopeSets => Gen.SubListOf(Universe).Select(l => l.ToArray());

    private static Gen<int?> OptionalLevel => Gen.Frequency((1, Gen.Constant<int?>(null)), (4, Gen.Choose(1, 3).Select(i => (int?)i)));

    [Fact]
    public void Scope_CoversAgreesWithTheSegmentModel()
    {
        Prop.ForAll(Gen.Elements(Universe).Two().ToArbitrary(), pair =>
        {
            var (granted, requested) = pair;
            bool expected = ModelCovers(granted, requested);
            return PassportScope.Parse(granted).Covers(PassportScope.Parse(requested)) == expected;
        }).Check(Runs.WithMaxTest(600));
    }

    [Fact]
    public void Scope_AttenuationNeverWidens()
    {
        Prop.ForAll(ScopeSets.Two().ToArbitrary(), pair =>
        {
            var child = ScopeSet.Parse(pair.Item1);
            var parent = ScopeSet.Parse(pair.Item2);
            bool attenuates = child.IsAttenuationOf(parent, out _);
            bool semanticallyNarrower = Concrete.All(s => !child.Covers(s) || parent.Covers(s));

            // Attenuation implies no concrete scope is gained; and a child that gains one is never an attenuation.
            return !attenuates || semanticallyNarrower;
        }).Check(Runs.WithMaxTest(600));
    }

    [Fact]
    public void Issuance_NoDelegationSequenceWidensExtendsRaisesOrDeepens()
    {
        // Biased towards requests that can succeed (a subset of the parent's scopes, no level change) so minting is exercised.
        var steps =
            from narrow in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
            from subsetSeed in Gen.Choose(0, int.MaxValue)
            from scopes in ScopeSets
            from ttl in Gen.Frequency((4, Gen.Choose(1, 7200)), (1, Gen.Choose(-30, 0)), (1, Gen.Choose(86_000, 87_000)))
            from changeLevels in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
            from ial in OptionalLevel
            from aal in OptionalLevel
            from fal in OptionalLevel
            from maxDepth in Gen.Frequency((4, Gen.Constant(-1)), (1, Gen.Choose(-2, 10)))
            from advance in Gen.Choose(0, 200)
            select new Step(narrow, subsetSeed, scopes, ttl, changeLevels ? (ial, aal, fal) : (null, null, null), maxDepth, advance);
        var plans =
            from scopes in ScopeSets
            from level in Gen.Choose(0, 3)
            from maxDepth in Gen.Choose(-1, 8)
            from ttl in Gen.Choose(60, 7200)
            from list in Gen.ListOf(steps).Resize(12)
            select new Plan(scopes, level, maxDepth, ttl, [.. list]);

        Prop.ForAll(plans.ToArbitrary(), RunIssuancePlan).Check(Runs);

        output.WriteLine($"issuance: {_minted} children minted, {_refused} requests refused");
        Assert.True(_minted > 0 && _refused > 0, $"minted {_minted}, refused {_refused}");
    }

    [Fact]
    public void Verification_ForgedChainsAreAcceptedOnlyWhenEveryHopNarrows()
    {
        // Biased towards narrowing hops so that a good share of forged chains is valid and the acceptance side is exercised.
        var hops =
            from narrow in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
            from subsetSeed in Gen.Choose(0, int.MaxValue)
            from scopes in ScopeSets
            from expDelta in Gen.Frequency((4, Gen.Choose(-60, 0)), (1, Gen.Choose(1, 600)))
            from di in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(-1, 2)))
            from da in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(-1, 2)))
            from df in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(-1, 2)))
            from maxDepth in Gen.Frequency((5, Gen.Constant(-2)), (1, Gen.Choose(-1, 9)))
            select new ForgedHop(narrow, subsetSeed, scopes, expDelta, (di, da, df), maxDepth);
        var chains =
            from scopes in ScopeSets
            from maxDepth in Gen.Choose(-1, 8)
            from list in Gen.NonEmptyListOf(hops).Resize(10)
            select new ForgedPlan(scopes, maxDepth, [.. list]);

        using var key = PassportSigningKey.Generate();
        var verifier = new PassportVerifier(new JwksPassportKeyResolver([key.PublicKey]), new FakeTimeProvider(TokenForge.Now));
        int accepted = 0, rejected = 0;

        Prop.ForAll(chains.ToArbitrary(), plan =>
        {
            var (claims, tokens) = Forge(plan, key);
            var result = verifier.ValidateAsync(tokens[^1], new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience) { AllowWildcardScope = true }, tokens[..^1]).AsTask().GetAwaiter().GetResult();
            if (!result.Succeeded)
            {
                rejected++;
                return result.Error.Kind is PassportErrorKind.ChainBroken or PassportErrorKind.MalformedClaims or PassportErrorKind.Expired;
            }

            accepted++;
            return ChainNarrows(result.Passport);
        }).Check(Runs.WithMaxTest(300));

        output.WriteLine($"verification: {accepted} forged chains accepted, {rejected} rejected");

        // Both outcomes must have occurred, or the property proved nothing.
        Assert.True(accepted > 0 && rejected > 0, $"accepted {accepted}, rejected {rejected}");
    }

    private bool RunIssuancePlan(Plan plan)
    {
        var time = new FakeTimeProvider(TokenForge.Now);
        using var keys = new InMemoryPassportKeyStore();
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = TokenForge.Issuer, KeyStore = keys, TimeProvider = time });
        var verifier = new PassportVerifier(keys, time);
        var policy = new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience) { AllowWildcardScope = true };
        var levels = plan.RootLevel == 0 ? null : new AssuranceLevels(plan.RootLevel, plan.RootLevel, plan.RootLevel);
        var root = issuer.Issue(new RootPassportRequest
        {
            Identity = new IdentityAssertion("https://csp", "user", levels is null ? null : "acr", levels),
            AgentId = "agent:root",
            AgentModel = "m",
            Audience = TokenForge.Audience,
            ToolScope = plan.RootScopes,
            Ttl = TimeSpan.FromSeconds(plan.RootTtl),
            MaxDepth = plan.RootMaxDepth < 0 ? null : plan.RootMaxDepth,
        });
        var current = verifier.VerifyAsync(root.Token, policy).AsTask().GetAwaiter().GetResult();

        int hop = 0;
        foreach (var step in plan.Steps)
        {
            time.Advance(TimeSpan.FromSeconds(step.AdvanceSeconds));
            var parent = current.Passport;
            AssuranceLevels? lower = step.Levels is (int i, int a, int f) ? new AssuranceLevels(i, a, f) : null;
            var random = new Random(step.SubsetSeed);
            string[] requested = step.Narrow ? [.. parent.ToolScope.ToStrings().Where(_ => random.Next(3) > 0)] : step.Scopes;
            IssuedPassport child;
            try
            {
                child = issuer.Delegate(current, new DelegationRequest
                {
                    AgentId = $"agent:{++hop}",
                    AgentModel = "m",
                    Audience = TokenForge.Audience,
                    ToolScope = requested,
                    Ttl = TimeSpan.FromSeconds(step.TtlSeconds),
                    LowerLevels = lower,
                    MaxDepth = step.MaxDepth < 0 ? null : step.MaxDepth,
                });
            }
            catch (AgentPassportException ex)
            {
                // A refusal is always allowed; a scope refusal must be justified, and a widening request must be refused.
                bool widens = !ScopeSet.Parse(requested).IsAttenuationOf(parent.ToolScope, out _);
                if (ex.Kind == PassportErrorKind.ScopeAttenuation && !widens)
                {
                    return false;
                }

                if (ex.Kind is not (PassportErrorKind.ScopeAttenuation or PassportErrorKind.IssuanceRefused))
                {
                    return false;
                }

                _refused++;
                continue;
            }

            var c = child.Passport;
            if (!Narrows(c, parent) || !Narrows(c, root.Passport) || c.Depth != parent.Depth + 1 || c.Depth > PassportLimits.MaxChainDepth)
            {
                return false;
            }

            // The verifier agrees with the issuer about the minted chain.
            var verified = verifier.ValidateAsync(child.Token, policy, child.ChainTokens).AsTask().GetAwaiter().GetResult();
            if (!verified.Succeeded || !ChainNarrows(verified.Passport))
            {
                return false;
            }

            _minted++;
            current = verified.Passport;
        }

        return true;
    }

    /// <summary>child ⊆ ancestor in scope (syntactically and over every concrete scope), lifetime, assurance and remaining depth.</summary>
    private static bool Narrows(Passport child, Passport ancestor)
    {
        bool scopes = child.ToolScope.IsAttenuationOf(ancestor.ToolScope, out _)
            && Concrete.All(s => !child.ToolScope.Covers(s) || ancestor.ToolScope.Covers(s));
        bool lifetime = child.ExpiresAt <= ancestor.ExpiresAt;
        bool levels = LevelOk(child.Ial, ancestor.Ial) && LevelOk(child.Aal, ancestor.Aal) && LevelOk(child.Fal, ancestor.Fal);
        bool depth = ancestor.MaxDepth is not int max || (child.MaxDepth is int cm && cm < max && child.Depth - ancestor.Depth <= max);
        return scopes && lifetime && levels && depth;
    }

    private static bool LevelOk(int? child, int? ancestor) => child is null || (ancestor is not null && child <= ancestor);

    private static bool ChainNarrows(VerifiedPassport verified)
    {
        var all = verified.Chain.Select(s => s.Passport).Append(verified.Passport).ToArray();
        if (all.Length - 1 > PassportLimits.MaxChainDepth || all[^1].Depth != all.Length - 1)
        {
            return false;
        }

        for (int i = 1; i < all.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (!Narrows(all[i], all[j]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Forges a correctly linked and signed chain whose hops change scopes, expiry, levels and max_depth at random.</summary>
    private static (List<JsonObject> Claims, string[] Tokens) Forge(ForgedPlan plan, PassportSigningKey key)
    {
        var root = TokenForge.RootClaims("agent:0", plan.RootScopes);
        if (plan.RootMaxDepth >= 0)
        {
            root[PassportClaimNames.MaxDepth] = plan.RootMaxDepth;
        }

        var list = new List<JsonObject> { root };
        int n = 0;
        foreach (var hop in plan.Hops)
        {
            var parent = list[^1];
            string[] parentScopes = [.. parent[PassportClaimNames.ToolScope]!.AsArray().Select(x => x!.GetValue<string>())];
            var random = new Random(hop.SubsetSeed);
            string[] scopes = hop.Narrow ? [.. parentScopes.Where(_ => random.Next(3) > 0)] : hop.Scopes;
            var child = TokenForge.ChildClaims(parent, $"agent:{++n}", scopes);
            child["exp"] = parent["exp"]!.GetValue<long>() + hop.ExpDeltaSeconds;
            foreach (var (name, delta) in new[] { ("ial", hop.LevelDeltas.Item1), ("aal", hop.LevelDeltas.Item2), ("fal", hop.LevelDeltas.Item3) })
            {
                int? p = parent[name]?.GetValue<int>();
                int? value = delta switch
                {
                    -1 => null,
                    0 => p,
                    _ => Math.Clamp((p ?? 1) + (delta == 1 ? -1 : 1), 1, 3),
                };
                if (value is null)
                {
                    child.Remove(name);
                }
                else
                {
                    child[name] = value;
                }
            }

            if (hop.MaxDepth >= 0)
            {
                child[PassportClaimNames.MaxDepth] = hop.MaxDepth;
            }
            else if (hop.MaxDepth == -1)
            {
                child.Remove(PassportClaimNames.MaxDepth);
            }

            list.Add(child);
        }

        var tokens = new ForgedChain(list).Sign(key);
        return (list, tokens);
    }

    private static bool ModelCovers(string granted, string requested)
    {
        if (granted == "*" || granted == requested)
        {
            return true;
        }

        if (!granted.EndsWith(":*", StringComparison.Ordinal))
        {
            return false;
        }

        string prefix = granted[..^1];
        return requested != "*" && requested.StartsWith(prefix, StringComparison.Ordinal) && requested.Length > prefix.Length;
    }

    private static string[] BuildConcrete()
    {
        string[] segments = ["a", "b", "c", "ab", "bc"];
        var one = segments.ToList();
        var two = one.SelectMany(x => segments.Select(y => $"{x}:{y}")).ToList();
        var three = two.SelectMany(x => segments.Select(y => $"{x}:{y}")).ToList();
        return [.. one, .. two, .. three];
    }

    internal sealed record Step(bool Narrow, int SubsetSeed, string[] Scopes, int TtlSeconds, (int? Ial, int? Aal, int? Fal) Levels, int MaxDepth, int AdvanceSeconds);

    internal sealed record Plan(string[] RootScopes, int RootLevel, int RootMaxDepth, int RootTtl, Step[] Steps);

    /// <summary>One forged hop: <paramref name="Narrow"/> takes a random subset of the parent's scopes, otherwise <paramref name="Scopes"/>; MaxDepth −2 keeps the issuer's parent − 1, −1 drops it.</summary>
    internal sealed record ForgedHop(bool Narrow, int SubsetSeed, string[] Scopes, int ExpDeltaSeconds, (int, int, int) LevelDeltas, int MaxDepth);

    internal sealed record ForgedPlan(string[] RootScopes, int RootMaxDepth, ForgedHop[] Hops);
}
