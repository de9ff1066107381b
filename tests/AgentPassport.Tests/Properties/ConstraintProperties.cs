using System.Text.Json;
using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Properties;

/// <summary>
/// Property-based (FsCheck) checks of argument constraints (spec v1.1 §13): for random parent capabilities and random
/// attenuations, every argument vector the child accepts the parent accepts (over a finite domain that includes wrong
/// types, inexact numbers, null and missing values); issuance never mints a widening child; verification refuses every
/// forged widening and accepts every covered child.
/// </summary>
public sealed class ConstraintProperties(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] Arguments = ["a", "b"];

    /// <summary>The argument values every vector is drawn from; <c>null</c> as text means JSON null, and a missing value is tried too.</summary>
    private static readonly string[] Domain =
    [
        "-1", "0", "0.5", "1", "2", "2.5", "3", "5", "10", "1e400", "\"\"", "\"a\"", "\"ab\"", "\"abc\"", "\"b\"", "\"ba\"", "\"A\"", "\"1\"", "true", "false", "null",
    ];

    private static readonly string[] Numbers = ["-1", "0", "0.5", "1", "2", "2.5", "3", "5", "10"];
    private static readonly string[] Strings = ["\"\"", "\"a\"", "\"ab\"", "\"abc\"", "\"b\"", "\"ba\"", "\"A\"", "\"1\""];
    private static readonly string[] Values = [.. Numbers, .. Strings, "true", "false"];
    private static readonly string[] Patterns = ["a.*", "[ab]{1,2}", "b+", "a|ab", "[0-9]"];

    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly List<Dictionary<string, JsonElement>> Vectors = BuildVectors();

    private static Gen<string> AnyConstraint =>
        Gen.OneOf(
            Gen.Elements(Values).Select(v => $"{{\"eq\":{v}}}"),
            Gen.NonEmptyListOf(Gen.Elements(Values)).Resize(4).Select(vs => $"{{\"in\":[{string.Join(",", vs)}]}}"),
            from min in Gen.Elements(Numbers)
            from max in Gen.Elements(Numbers)
            from shape in Gen.Choose(0, 2)
            select shape switch { 0 => $"{{\"min\":{min}}}", 1 => $"{{\"max\":{max}}}", _ => $"{{\"min\":{Lower(min, max)},\"max\":{Higher(min, max)}}}" },
            Gen.Elements(Strings).Select(s => $"{{\"prefix\":{s}}}"),
            Gen.Choose(0, 3).Select(n => $"{{\"maxLength\":{n}}}"),
            Gen.Elements(Patterns).Select(p => $"{{\"regex\":\"{p}\"}}"));

    /// <summary>A capability's constraints: each argument unconstrained or constrained at random.</summary>
    private static Gen<Dictionary<string, string>> Capability =>
        from a in Gen.Frequency((1, Gen.Constant<string?>(null)), (3, AnyConstraint.Select(c => (string?)c)))
        from b in Gen.Frequency((2, Gen.Constant<string?>(null)), (1, AnyConstraint.Select(c => (string?)c)))
        select Arguments.Zip([a, b]).Where(p => p.Second is not null).ToDictionary(p => p.First, p => p.Second!);

    /// <summary>A parent capability and a child drawn as a narrowing of it (often) or at random (sometimes).</summary>
    private static Gen<(Dictionary<string, string> Parent, Dictionary<string, string> Child)> Pairs =>
        from parent in Capability
        from random in Capability
        from narrowed in Narrowing(parent)
        from useNarrowed in Gen.Frequency((2, Gen.Constant(true)), (1, Gen.Constant(false)))
        select (parent, useNarrowed ? narrowed : random);

    [Fact]
    public void Lattice_ChildAcceptsOnlyWhatTheParentAccepts()
    {
        int covered = 0, widened = 0;
        Prop.ForAll(Pairs.ToArbitrary(), pair =>
        {
            var parent = Parse(pair.Parent);
            var child = Parse(pair.Child);
            if (AttenuationRules.WidenedArgument(child, parent) is not null)
            {
                widened++;
                return true;
            }

            covered++;
            return Vectors.All(v => !Accepts(child, v) || Accepts(parent, v));
        }).Check(Runs);

        output.WriteLine($"lattice: {covered} covered, {widened} widened");
        Assert.True(covered > 50 && widened > 50, $"covered {covered}, widened {widened}");
    }

    [Fact]
    public void Lattice_ConstructedNarrowingsAreCovered()
    {
        // Completeness on the pairs the spec lists: a child built by the lattice's own rules is always accepted.
        var gen = from parent in Capability from child in Narrowing(parent, strict: true) select (parent, child);
        Prop.ForAll(gen.ToArbitrary(), pair => AttenuationRules.WidenedArgument(Parse(pair.child), Parse(pair.parent)) is null).Check(Runs);
    }

    [Fact]
    public void Issuance_NeverMintsAWideningChild_AndVerificationAgrees()
    {
        var time = new FakeTimeProvider(TokenForge.Now);
        using var keys = new InMemoryPassportKeyStore();
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = TokenForge.Issuer, KeyStore = keys, TimeProvider = time });
        var verifier = new PassportVerifier(keys, time);
        int minted = 0, refused = 0;

        Prop.ForAll(Pairs.ToArbitrary(), pair =>
        {
            var root = issuer.Issue(new RootPassportRequest
            {
                Identity = PassportTestContext.Identity(),
                AgentId = "agent:alice",
                AgentModel = "m",
                Audience = TokenForge.Audience,
                ToolScope = ["t:x"],
                Constraints = Claim(pair.Parent),
            });
            var parent = verifier.VerifyAsync(root.Token, new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience)).AsTask().GetAwaiter().GetResult();
            IssuedPassport child;
            try
            {
                child = issuer.Delegate(parent, new DelegationRequest { AgentId = "agent:bob", AgentModel = "m", Audience = TokenForge.Audience, ToolScope = ["t:x"], Constraints = Claim(pair.Child) });
            }
            catch (AgentPassportException ex) when (ex.Kind == PassportErrorKind.ScopeAttenuation)
            {
                refused++;
                return ex.Error.Details.Argument is not null;
            }

            minted++;
            var verified = verifier.ValidateAsync(child.Token, new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience), child.ChainTokens).AsTask().GetAwaiter().GetResult();
            var childConstraints = child.Passport.Constraints.For("t:x");
            var parentConstraints = root.Passport.Constraints.For("t:x");
            return verified.Succeeded && Vectors.All(v => !Accepts(childConstraints, v) || Accepts(parentConstraints, v));
        }).Check(Runs.WithMaxTest(150));

        output.WriteLine($"issuance: {minted} minted, {refused} refused");
        Assert.True(minted > 10 && refused > 10, $"minted {minted}, refused {refused}");
    }

    [Fact]
    public void Verification_RefusesEveryForgedWidening()
    {
        using var key = PassportSigningKey.Generate();
        var verifier = new PassportVerifier(new JwksPassportKeyResolver([key.PublicKey]), new FakeTimeProvider(TokenForge.Now));
        int accepted = 0, rejected = 0;

        Prop.ForAll(Pairs.ToArbitrary(), pair =>
        {
            var alice = TokenForge.RootClaims(scopes: ["t:x"]);
            SetClaim(alice, pair.Parent);
            var bob = TokenForge.ChildClaims(alice, "agent:bob", ["t:x"]);
            bob.Remove(PassportClaimNames.Constraints);
            SetClaim(bob, pair.Child);
            var tokens = new ForgedChain([alice, bob]).Sign(key);
            var result = verifier.ValidateAsync(tokens[1], new VerificationPolicy(TokenForge.Issuer, TokenForge.Audience), [tokens[0]]).AsTask().GetAwaiter().GetResult();

            bool widens = Vectors.Any(v => Accepts(Parse(pair.Child), v) && !Accepts(Parse(pair.Parent), v));
            if (result.Succeeded)
            {
                accepted++;
                return !widens;
            }

            rejected++;
            return result.Error.ChainReason == ChainBrokenReason.ConstraintWidened;
        }).Check(Runs.WithMaxTest(150));

        output.WriteLine($"verification: {accepted} accepted, {rejected} rejected");
        Assert.True(accepted > 10 && rejected > 10, $"accepted {accepted}, rejected {rejected}");
    }

    /// <summary>A child built from the parent by the lattice's rules (and, unless strict, sometimes one more argument constrained).</summary>
    private static Gen<Dictionary<string, string>> Narrowing(Dictionary<string, string> parent, bool strict = false)
    {
        Gen<KeyValuePair<string, string>> One(KeyValuePair<string, string> entry)
        {
            var c = PassportConstraintCheckTestsParse(entry.Value);
            var accepted = Values.Where(v => c.IsSatisfiedBy(JsonDocument.Parse(v).RootElement)).ToArray();
            var options = new List<Gen<string>>();
            if (c.Kind != PassportConstraintKind.Equal && accepted.Length > 0)
            {
                options.Add(Gen.Elements(accepted).Select(v => $"{{\"eq\":{v}}}"));
                options.Add(Gen.NonEmptyListOf(Gen.Elements(accepted)).Resize(3).Select(vs => $"{{\"in\":[{string.Join(",", vs)}]}}"));
            }

            options.Add(Gen.Constant(entry.Value));
            switch (c.Kind)
            {
                case PassportConstraintKind.Range:
                    // A sub-range: each bound kept or moved inwards by a fraction of the width (never past the other bound).
                    decimal low = c.Min ?? -5m, high = c.Max ?? 20m;
                    options.Add(from i in Gen.Choose(0, 2) from j in Gen.Choose(0, 2)
                                select $"{{\"min\":{low + ((high - low) * i / 4)},\"max\":{high - ((high - low) * j / 4)}}}");
                    break;
                case PassportConstraintKind.Prefix:
                    options.Add(Gen.Elements("a", "b", "x").Select(s => JsonSerializer.Serialize(new { prefix = c.Prefix + s })));
                    break;
                case PassportConstraintKind.MaxLength:
                    options.Add(Gen.Choose(0, c.MaxLength!.Value).Select(n => $"{{\"maxLength\":{n}}}"));
                    break;
            }

            return Gen.OneOf(options).Select(v => new KeyValuePair<string, string>(entry.Key, v));
        }

        var narrowed = parent.Select(One).ToList();
        var list = Gen.Constant(new List<KeyValuePair<string, string>>());
        foreach (var one in narrowed)
        {
            var soFar = list;
            list = from l in soFar from e in one select (List<KeyValuePair<string, string>>)[.. l, e];
        }

        return from entries in list
               from extra in strict ? Gen.Constant<string?>(null) : Gen.Frequency((3, Gen.Constant<string?>(null)), (1, AnyConstraint.Select(c => (string?)c)))
               select Extend(entries, extra);

        Dictionary<string, string> Extend(List<KeyValuePair<string, string>> entries, string? extra)
        {
            var d = entries.ToDictionary(e => e.Key, e => e.Value);
            string? free = Arguments.FirstOrDefault(a => !d.ContainsKey(a));
            if (extra is not null && free is not null)
            {
                d[free] = extra;
            }

            return d;
        }
    }

    private static string Lower(string x, string y) => Dec(x) <= Dec(y) ? x : y;

    private static string Higher(string x, string y) => Dec(x) <= Dec(y) ? y : x;

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static PassportConstraint PassportConstraintCheckTestsParse(string json) => AgentPassport.Tests.Constraints.PassportConstraintCheckTests.Parse(json);

    private static IReadOnlyDictionary<string, PassportConstraint> Parse(Dictionary<string, string> capability) => Claim(capability).For("t:x");

    private static PassportConstraints Claim(Dictionary<string, string> capability) =>
        capability.Count == 0 ? PassportConstraints.Empty
        : PassportConstraints.Parse("{\"t:x\":{" + string.Join(",", capability.Select(e => $"\"{e.Key}\":{e.Value}")) + "}}");

    private static void SetClaim(JsonObject claims, Dictionary<string, string> capability)
    {
        if (capability.Count > 0)
        {
            claims[PassportClaimNames.Constraints] = JsonNode.Parse(Claim(capability).ToJson());
        }
    }

    private static bool Accepts(IReadOnlyDictionary<string, PassportConstraint> capability, Dictionary<string, JsonElement> vector) =>
        capability.All(c => vector.TryGetValue(c.Key, out var value) && c.Value.IsSatisfiedBy(value));

    private static List<Dictionary<string, JsonElement>> BuildVectors()
    {
        var options = Domain.Select(d => (JsonElement?)JsonDocument.Parse(d).RootElement).Append(null).ToArray();
        var vectors = new List<Dictionary<string, JsonElement>>();
        foreach (var a in options)
        {
            foreach (var b in options)
            {
                var v = new Dictionary<string, JsonElement>();
                if (a is JsonElement av)
                {
                    v["a"] = av;
                }

                if (b is JsonElement bv)
                {
                    v["b"] = bv;
                }

                vectors.Add(v);
            }
        }

        return vectors;
    }
}
