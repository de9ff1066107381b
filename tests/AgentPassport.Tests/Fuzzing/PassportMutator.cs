using System.Text;
using System.Text.Json.Nodes;
using AgentPassport.Tests.Support;
using AgentPassport.TestSupport.Fuzzing;

namespace AgentPassport.Tests.Fuzzing;

/// <summary>One fuzz input: a leaf and its chain, what produced it, and whether it must be rejected whatever happens.</summary>
/// <param name="Kind">The mutation that produced it.</param>
/// <param name="Leaf">The leaf token.</param>
/// <param name="Chain">The parents, root first.</param>
/// <param name="MustReject">True for re-signed mutations that break a schema or continuity rule.</param>
internal sealed record FuzzInput(string Kind, string Leaf, string[] Chain, bool MustReject);

/// <summary>
/// A seeded, reproducible mutator over compact Passports and chains: byte flips, insertions, deletions, truncations,
/// JSON-escape edits (<see cref="JsonEscapeMutator"/>), segment swaps (within and across tokens), base64 re-encodings,
/// chain reorderings, undecodable JSON edits kept under the old signature, and JSON mutations of a decoded header or payload re-signed with the trusted key that a schema or
/// continuity rule must still catch (among them lone-surrogate escapes and member names duplicated as escapes).
/// </summary>
internal sealed class PassportMutator
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static readonly char[] Specials = ['.', '=', ' ', '+', '/', '\n', '\t', '\0', 'é', '\u200B', '"', '{', '%'];

    private readonly Random _rng;
    private readonly PassportSigningKey _key;
    private readonly ForgedChain _seedChain;
    private readonly string[] _tokens;

    public PassportMutator(int seed, PassportSigningKey key)
    {
        _rng = new Random(seed);
        _key = key;
        _seedChain = ForgedChain.AliceBobCarol(rootMaxDepth: 5);
        _tokens = _seedChain.Sign(key);
    }

    /// <summary>The unmutated chain (Alice, Bob, Carol).</summary>
    public IReadOnlyList<string> Seeds => _tokens;

    public FuzzInput Next()
    {
        int roll = _rng.Next(1000);
        // Most mutations are cheap to reject; the ones that reach signature checks (chains, re-signed JSON) are rarer
        // so that the bounded CI run keeps its ~200,000 inputs within its time budget on a 2-core machine.
        return roll switch
        {
            < 320 => Leaf("flip", Flip),
            < 350 => Leaf("json-escape-unsigned", JsonEscapeUnsigned),
            < 440 => Leaf("insert", Insert),
            < 510 => Leaf("delete", Delete),
            < 560 => Leaf("truncate", t => t[.._rng.Next(t.Length)]),
            < 660 => Leaf("segment-swap", SegmentSwap),
            < 760 => Leaf("reencode", Reencode),
            < 800 => Leaf("json-edit-unsigned", JsonEditUnsigned),
            < 840 => Leaf("json-bytes-unsigned", JsonBytesUnsigned),
            < 885 => ChainShuffle(),
            < 930 => ChainMemberMutation(),
            < 960 => Leaf("splice-repeat", t => string.Concat(Enumerable.Repeat(t, 1 + _rng.Next(3)))),
            _ => Resigned(),
        };
    }

    private FuzzInput Leaf(string kind, Func<string, string> mutate) =>
        new(kind, mutate(_tokens[2]), [_tokens[0], _tokens[1]], false);

    private char RandomChar() => _rng.Next(10) == 0 ? Specials[_rng.Next(Specials.Length)] : Alphabet[_rng.Next(Alphabet.Length)];

    private string Flip(string t)
    {
        var chars = t.ToCharArray();
        int flips = 1 + (_rng.Next(4) == 0 ? _rng.Next(8) : 0);
        for (int i = 0; i < flips; i++)
        {
            chars[_rng.Next(chars.Length)] = RandomChar();
        }

        return new string(chars);
    }

    private string Insert(string t)
    {
        int at = _rng.Next(t.Length + 1);
        return t[..at] + RandomChar() + t[at..];
    }

    private string Delete(string t)
    {
        int at = _rng.Next(t.Length);
        return t.Remove(at, 1 + _rng.Next(Math.Min(4, t.Length - at)));
    }

    private string SegmentSwap(string t)
    {
        var mine = t.Split('.');
        var other = _tokens[_rng.Next(_tokens.Length)].Split('.');
        int a = _rng.Next(3), b = _rng.Next(3);
        if (_rng.Next(2) == 0)
        {
            (mine[a], mine[b]) = (mine[b], mine[a]);
        }
        else
        {
            mine[a] = other[b];
        }

        return string.Join('.', mine);
    }

    private string Reencode(string t)
    {
        var parts = t.Split('.');
        int i = _rng.Next(3);
        byte[] raw = TokenForge.Unb64(parts[i]);
        string standard = Convert.ToBase64String(raw);
        parts[i] = _rng.Next(4) switch
        {
            0 => standard,
            1 => standard.Replace('+', '-').Replace('/', '_'),
            2 => parts[i] + new string('=', 1 + _rng.Next(2)),
            _ => parts[i].Insert(_rng.Next(parts[i].Length), _rng.Next(2) == 0 ? " " : "\r\n"),
        };
        return string.Join('.', parts);
    }

    private string JsonEditUnsigned(string t)
    {
        var parts = t.Split('.');
        int i = _rng.Next(2);
        var json = Encoding.UTF8.GetString(TokenForge.Unb64(parts[i])).ToCharArray();
        json[_rng.Next(json.Length)] = (char)_rng.Next(32, 127);
        parts[i] = TokenForge.B64(new string(json));
        return string.Join('.', parts);
    }

    /// <summary>A <see cref="JsonEscapeMutator"/> edit of the decoded header or payload, kept under the old signature.</summary>
    private string JsonEscapeUnsigned(string t)
    {
        var parts = t.Split('.');
        int i = _rng.Next(2);
        parts[i] = TokenForge.B64(JsonEscapeMutator.Mutate(Encoding.UTF8.GetString(TokenForge.Unb64(parts[i])), _rng));
        return string.Join('.', parts);
    }

    /// <summary>Replaces or inserts raw bytes (any value, so invalid UTF-8 too) in the decoded header or payload.</summary>
    private string JsonBytesUnsigned(string t)
    {
        var parts = t.Split('.');
        int i = _rng.Next(2);
        var bytes = new List<byte>(TokenForge.Unb64(parts[i]));
        int at = _rng.Next(bytes.Count);
        byte value = (byte)_rng.Next(256);
        if (_rng.Next(2) == 0)
        {
            bytes[at] = value;
        }
        else
        {
            bytes.Insert(at, value);
        }

        parts[i] = TokenForge.B64(bytes.ToArray());
        return string.Join('.', parts);
    }

    private FuzzInput ChainShuffle()
    {
        var pool = new List<string>(_tokens);
        string leaf = pool[_rng.Next(pool.Count)];
        int n = _rng.Next(5);
        var chain = new string[n];
        for (int i = 0; i < n; i++)
        {
            chain[i] = pool[_rng.Next(pool.Count)];
        }

        return new FuzzInput("chain-shuffle", leaf, chain, false);
    }

    private FuzzInput ChainMemberMutation()
    {
        var chain = new[] { _tokens[0], _tokens[1] };
        int i = _rng.Next(2);
        chain[i] = _rng.Next(3) switch
        {
            0 => Flip(chain[i]),
            1 => SegmentSwap(chain[i]),
            _ => Reencode(chain[i]),
        };
        return new FuzzInput("chain-member", _tokens[2], chain, false);
    }

    /// <summary>A JSON mutation of one token's claims or header, re-signed (and descendants re-linked), that a rule must catch.</summary>
    private FuzzInput Resigned()
    {
        int index = 1 + _rng.Next(2);
        int which = _rng.Next(Mutations.Length);
        var (name, apply) = Mutations[which];
        JsonObject? header = null;
        string? raw = null;
        var tokens = _seedChain.Sign(_key, (i, c) =>
        {
            if (i == index)
            {
                (header, raw) = apply(c, _rng);
            }
        });

        if (header is not null || raw is not null)
        {
            header?["kid"] = _key.KeyId;
            // Header mutations and raw JSON text replace the token at `index`; the leaf stays linked to the original Bob,
            // so the mutated token itself must fail its own checks.
            var claims = TokenForge.Payload(tokens[index]);
            tokens[index] = raw is not null
                ? TokenForge.Sign(TokenForge.ToJson(header ?? TokenForge.HeaderFor(_key)), raw, _key)
                : TokenForge.Sign(claims, _key, header);
        }

        return new FuzzInput("resigned:" + name, tokens[^1], tokens[..^1], true);
    }

    private delegate (JsonObject? Header, string? RawPayload) Mutation(JsonObject claims, Random rng);

    private static readonly (string Name, Mutation Apply)[] Mutations =
    [
        ("widen-scope", (c, r) => { c[PassportClaimNames.ToolScope]!.AsArray().Add(r.Next(2) == 0 ? "cars:rent" : "*"); return (null, null); }),
        ("change-sub", (c, _) => { c["sub"] = "user-mallory"; return (null, null); }),
        ("exp-after-parent", (c, r) => { c["exp"] = TokenForge.Unix(TokenForge.Now.AddMinutes(15)) + 1 + r.Next(600); return (null, null); }),
        ("raise-level", (c, _) => { c["ial"] = 3; return (null, null); }),
        ("rewrite-act", (c, _) => { c["act"]!["act"] = new JsonObject { ["sub"] = "agent:mallory" }; return (null, null); }),
        ("parent-jti", (c, _) => { c[PassportClaimNames.ParentJti] = "jti-x"; return (null, null); }),
        ("parent-hash", (c, r) => { c[PassportClaimNames.ParentHash] = PassportReader.ComputeParentHash(r.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)); return (null, null); }),
        ("reuse-root-jti", (c, _) => { c["jti"] = "jti-agent:alice"; return (null, null); }),
        ("max-depth-kept", (c, _) => { c[PassportClaimNames.MaxDepth] = 5; return (null, null); }),
        ("drop-link", (c, _) => { c.Remove(PassportClaimNames.ParentHash); return (null, null); }),
        ("drop-required", (c, r) => { c.Remove(new[] { "iss", "sub", "aud", "iat", "nbf", "exp", "jti", "act", PassportClaimNames.AgentId, PassportClaimNames.AgentModel }[r.Next(10)]); return (null, null); }),
        ("exp-as-string", (c, _) => (null, TokenForge.ToJson(c).Replace("\"exp\":", "\"exp\":\"", StringComparison.Ordinal).Replace(",\"jti\"", "\",\"jti\"", StringComparison.Ordinal))),
        ("exp-as-float", (c, _) => (null, TokenForge.ToJson(c).Replace(",\"jti\"", ".5,\"jti\"", StringComparison.Ordinal))),
        ("duplicate-sub", (c, _) => (null, TokenForge.ToJson(c)[..^1] + ",\"sub\":\"user-mallory\"}")),
        ("level-out-of-range", (c, r) => { c[new[] { "ial", "aal", "fal" }[r.Next(3)]] = r.Next(2) == 0 ? 0 : 4; return (null, null); }),
        ("aud-array", (c, _) => { c["aud"] = new JsonArray(TokenForge.Audience); return (null, null); }),
        ("agent-id-not-act-sub", (c, _) => { c[PassportClaimNames.AgentId] = "agent:mallory"; return (null, null); }),
        ("malformed-scope", (c, _) => { c[PassportClaimNames.ToolScope] = new JsonArray("flights:?*"); return (null, null); }),
        ("lifetime-over-cap", (c, _) => { c["iat"] = TokenForge.Unix(TokenForge.Now.AddDays(-2)); return (null, null); }),
        ("lone-surrogate", (c, r) => (null, JsonEscapeMutator.InsertLoneSurrogate(TokenForge.ToJson(c), r))),
        ("escaped-duplicate", (c, r) =>
        {
            var name = c.Select(p => p.Key).ElementAt(r.Next(c.Count));
            return (null, TokenForge.ToJson(c)[..^1] + $",\"{JsonEscapeMutator.EscapeAll(name)}\":{c[name]!.ToJsonString()}}}");
        }),
        ("header-typ", (c, _) => (new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = "placeholder" }, null)),
        ("header-jwk", (c, _) => (new JsonObject { ["alg"] = "ES256", ["typ"] = PassportClaimNames.TokenType, ["kid"] = "placeholder", ["jwk"] = new JsonObject() }, null)),
        ("header-crit", (c, _) => (new JsonObject { ["alg"] = "ES256", ["typ"] = PassportClaimNames.TokenType, ["kid"] = "placeholder", ["crit"] = new JsonArray("exp") }, null)),
        ("header-alg-none", (c, _) => (new JsonObject { ["alg"] = "none", ["typ"] = PassportClaimNames.TokenType, ["kid"] = "placeholder" }, null)),
    ];
}
