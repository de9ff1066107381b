using System.Diagnostics;
using System.Text;
using AgentPassport.Jose;

namespace AgentPassport.Benchmarks;

/// <summary><c>--probe</c>: CPU time and allocation of the pieces of a verify and an issue, one at a time, to see where the overhead goes.</summary>
public static class Probe
{
    public static int Run()
    {
        using var fx = new BenchFixture(freshLeavesPerLength: 1);
        var policy = BenchFixture.PolicyFor(1);
        string root = fx.RootToken, deep = fx.Chain[8].Token;
        var (leaf9, parents9) = fx.ChainOf(9);
        var signed9 = parents9.Select((t, i) => new SignedPassport(t, fx.Verified[i].Passport)).ToArray();
        var leafSigned = new SignedPassport(leaf9, fx.Verified[8].Passport);
        var policy9 = BenchFixture.PolicyFor(9);
        var key = fx.Keys.CurrentSigningKey;
        var passport = fx.Chain[0].Passport;

        Measure("raw verify", 300, () => fx.RawVerify());
        Measure("parse root", 20000, () => ParsedPassportToken.Parse(root, 16384, policy.AllowedAlgorithms, out _));
        int d1 = root.IndexOf('.'), d2 = root.LastIndexOf('.');
        byte[] rootHeader = AgentPassport.Internal.CanonicalBase64Url.DecodeCanonical(root.AsSpan(0, d1))!;
        byte[] rootPayload = AgentPassport.Internal.CanonicalBase64Url.DecodeCanonical(root.AsSpan(d1 + 1, d2 - d1 - 1))!;
        Measure("root: Split", 20000, () => ParsedPassportToken.Split(root, 16384, out _, out _, out _, out _, out _));
        Measure("root: header read", 20000, () => PassportHeader.Read(rootHeader, out _, out _));
        Measure("root: payload read", 20000, () => PassportPayloadReader.Read(rootPayload, out _, out _, out _, out _));
        Measure("root: reader pass only", 20000, () =>
        {
            var r = new System.Text.Json.Utf8JsonReader(rootPayload);
            while (r.Read())
            {
            }
        });
        Measure("root: ScopeSet.TryParse(3)", 20000, () => _ = ScopeSet.TryParse(["flights:*", "hotels:*", "calendar:*"], out _, out _));
        Measure("parse depth-8 token", 20000, () => ParsedPassportToken.Parse(deep, 16384, policy.AllowedAlgorithms, out _));
        Measure("parse 16K many claims", 200, () => ParsedPassportToken.Parse(fx.MaxSizeBadSignatureManyClaims, 16384, policy.AllowedAlgorithms, out _));
        Measure("parse 16K long strings", 2000, () => ParsedPassportToken.Parse(fx.MaxSizeBadSignatureLongStrings, 16384, policy.AllowedAlgorithms, out _));
        string many = fx.MaxSizeBadSignatureManyClaims;
        byte[] manyPayload = AgentPassport.Internal.CanonicalBase64Url.DecodeCanonical(many.AsSpan(many.IndexOf('.') + 1, many.LastIndexOf('.') - many.IndexOf('.') - 1))!;
        Measure("16K many: base64 decode", 2000, () => AgentPassport.Internal.CanonicalBase64Url.DecodeCanonical(many.AsSpan(many.IndexOf('.') + 1, many.LastIndexOf('.') - many.IndexOf('.') - 1)));
        Measure("16K many: reader pass only", 2000, () =>
        {
            var r = new System.Text.Json.Utf8JsonReader(manyPayload);
            while (r.Read())
            {
            }
        });
        Measure("16K many: names.Add pass", 2000, () =>
        {
            var r = new System.Text.Json.Utf8JsonReader(manyPayload);
            var names = new MemberNameSet();
            r.Read();
            while (r.Read() && r.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                names.Add(ref r);
                r.Read();
                r.TrySkip();
            }
        });
        Measure("16K many: Split (scan+decode)", 2000, () => ParsedPassportToken.Split(many, 16384, out _, out _, out _, out _, out _));
        Measure("16K many: IndexOfAnyExcept", 2000, () => many.AsSpan().IndexOfAnyExcept(AgentPassport.Internal.CanonicalBase64Url.Alphabet));
        Measure("16K many: ValueSpan+TrySkip pass", 2000, () =>
        {
            var r = new System.Text.Json.Utf8JsonReader(manyPayload);
            int total = 0;
            r.Read();
            while (r.Read() && r.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                total += r.ValueIsEscaped ? 1 : r.ValueSpan.Length;
                r.Read();
                r.TrySkip();
            }

            return total;
        });
        Measure("16K many: payload reader", 2000, () => PassportPayloadReader.Read(manyPayload, out _, out _, out _, out _));
        Measure("parse 16K many claims (again)", 400, () => ParsedPassportToken.Parse(fx.MaxSizeBadSignatureManyClaims, 16384, policy.AllowedAlgorithms, out _));
        Measure("verify 16K many claims (bad sig)", 400, () => fx.ColdVerifier.ValidateAsync(fx.MaxSizeBadSignatureManyClaims, policy).AsTask().GetAwaiter().GetResult());
        Measure("raw verify (again)", 400, () => fx.RawVerify());
        Measure("ChainRules.Check 9 tokens", 20000, () => ChainRules.Check(leafSigned, signed9, policy9));
        Measure("Segments.Hash", 20000, () => Segments.Hash(root));
        Measure("verify cold root", 300, () => fx.ColdVerifier.ValidateAsync(root, policy).AsTask().GetAwaiter().GetResult());
        var (leaf3, parents3) = fx.ChainOf(3);
        var policy3 = BenchFixture.PolicyFor(3, "flights:book");
        var hit = new PassportVerifier(fx.Keys, TimeProvider.System, new VerifiedChainCache());
        hit.ValidateAsync(leaf3, policy3, parents3).AsTask().GetAwaiter().GetResult();
        Measure("cache hit chain 3 (ValueTask)", 200000, () => hit.ValidateAsync(leaf3, policy3, parents3).AsTask().GetAwaiter().GetResult());
        Measure("cache hit chain 3 (sync)", 200000, () =>
        {
            var pending = hit.ValidateAsync(leaf3, policy3, parents3);
            return pending.IsCompletedSuccessfully && pending.Result.Succeeded;
        });
        Measure("FindKeyAsync (sync)", 200000, () =>
        {
            var pending = fx.Keys.FindKeyAsync(key.KeyId);
            return pending.IsCompletedSuccessfully ? pending.Result : null;
        });
        Measure("TimeProvider.System.GetUtcNow", 200000, () => TimeProvider.System.GetUtcNow());
        Measure("ChainKey ctor (3 tokens)", 200000, () => new VerifiedChainCache.ChainKey(parents3, leaf3, policy3).GetHashCode());
        Measure("FindKeyAsync", 200000, () => fx.Keys.FindKeyAsync(key.KeyId).AsTask().GetAwaiter().GetResult());
        Measure("ScopeSet.Covers(flights:book)", 200000, () => fx.Verified[2].Passport.ToolScope.Covers(policy3.RequiredScopeValue!.Value));
        Measure("raw sign", 1000, () => fx.RawSign());
        Measure("PassportWriter.Sign", 1000, () => PassportWriter.Sign(passport, key));
        Measure("key.Sign only", 1000, () => key.Sign(fx.SigningInput));
        Measure("Encode header+payload", 20000, () =>
        {
            PassportWriter.Encode(w => { w.WriteString("alg", "ES256"); w.WriteString("typ", "x"); w.WriteString("kid", key.KeyId); });
            PassportWriter.Encode(w => PassportWriter.WriteClaims(w, passport));
        });
        Measure("issue", 1000, () => fx.Issuer.Issue(fx.RootRequest));
        Measure("delegate", 1000, () => fx.Issuer.Delegate(fx.Verified[0], fx.ChildRequest(1, BenchFixture.Audience(2))));
        var childRequest = fx.ChildRequest(1, BenchFixture.Audience(2));
        var child = fx.Chain[1].Passport;
        Measure("delegate (precomputed request)", 1000, () => fx.Issuer.Delegate(fx.Verified[0], childRequest));
        Measure("PassportWriter.Sign child", 1000, () => PassportWriter.Sign(child, key));
        Measure("Segments.Hash(root)", 20000, () => Segments.Hash(root));
        byte[] rootBytes = Encoding.ASCII.GetBytes(root);
        byte[] digest = new byte[32];
        using var incremental = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        Measure("SHA256.HashData 550 B", 20000, () => System.Security.Cryptography.SHA256.HashData(rootBytes, digest));
        Measure("IncrementalHash SHA-256 550 B", 20000, () =>
        {
            incremental.AppendData(rootBytes);
            incremental.GetHashAndReset(digest);
        });
        var jsonBuffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        var jsonWriter = new System.Text.Json.Utf8JsonWriter(jsonBuffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Measure("WriteClaims only (reused writer)", 20000, () =>
        {
            jsonBuffer.ResetWrittenCount();
            jsonWriter.Reset(jsonBuffer);
            jsonWriter.WriteStartObject();
            PassportWriter.WriteClaims(jsonWriter, passport);
            jsonWriter.WriteEndObject();
            jsonWriter.Flush();
        });
        byte[] input550 = new byte[fx.SigningInput.Length];
        fx.SigningInput.CopyTo(input550, 0);
        byte[] pooled = System.Buffers.ArrayPool<byte>.Shared.Rent(fx.SigningInput.Length);
        fx.SigningInput.CopyTo(pooled, 0);
        Measure("key.Sign pooled span", 1000, () => key.Sign(pooled.AsSpan(0, fx.SigningInput.Length)));
        Measure("key.Sign fresh array", 1000, () => key.Sign(input550));
        Measure("raw sign span", 1000, () => fx.RawSigner.SignData(pooled.AsSpan(0, fx.SigningInput.Length), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        byte[] fakeSig = new byte[64];
        Measure("writer steps without the signature", 20000, () =>
        {
            jsonBuffer.ResetWrittenCount();
            jsonWriter.Reset(jsonBuffer);
            jsonWriter.WriteStartObject();
            jsonWriter.WriteString("alg", key.Algorithm);
            jsonWriter.WriteString("typ", PassportClaimNames.TokenType);
            jsonWriter.WriteString("kid", key.KeyId);
            jsonWriter.WriteEndObject();
            jsonWriter.Flush();
            int headerLength = jsonBuffer.WrittenCount;
            jsonWriter.Reset(jsonBuffer);
            jsonWriter.WriteStartObject();
            PassportWriter.WriteClaims(jsonWriter, passport);
            jsonWriter.WriteEndObject();
            jsonWriter.Flush();
            var header = jsonBuffer.WrittenSpan[..headerLength];
            var payload = jsonBuffer.WrittenSpan[headerLength..];
            int headerChars = System.Buffers.Text.Base64Url.GetEncodedLength(header.Length);
            int inputLength = headerChars + 1 + System.Buffers.Text.Base64Url.GetEncodedLength(payload.Length);
            byte[] input = System.Buffers.ArrayPool<byte>.Shared.Rent(inputLength);
            System.Buffers.Text.Base64Url.EncodeToUtf8(header, input);
            input[headerChars] = (byte)'.';
            System.Buffers.Text.Base64Url.EncodeToUtf8(payload, input.AsSpan(headerChars + 1));
            string result = string.Create(inputLength + 1 + 86, (input, inputLength, fakeSig), static (chars, state) =>
            {
                Encoding.ASCII.GetChars(state.input.AsSpan(0, state.inputLength), chars);
                chars[state.inputLength] = '.';
                System.Buffers.Text.Base64Url.EncodeToChars(state.fakeSig, chars[(state.inputLength + 1)..]);
            });
            System.Buffers.ArrayPool<byte>.Shared.Return(input);
            return result;
        });
        Measure("raw sign (again)", 1000, () => fx.RawSign());
        Measure("Guid.NewGuid().ToString()", 20000, () => Guid.NewGuid().ToString());
        Measure("RNG-filled Guid ToString", 20000, () =>
        {
            Span<byte> b = stackalloc byte[16];
            System.Security.Cryptography.RandomNumberGenerator.Fill(b);
            return new Guid(b).ToString();
        });
        Measure("Guid.CreateVersion7().ToString()", 20000, () => Guid.CreateVersion7().ToString());
        Measure("ascii bytes", 20000, () => Encoding.ASCII.GetBytes(root));
        return 0;
    }

    private static void Measure<T>(string name, int n, Func<T> func) => Measure(name, n, () => { _ = func(); });

    private static void Measure(string name, int n, Action action)
    {
        for (int i = 0; i < Math.Min(n, 200); i++)
        {
            action();
        }

        var best = double.MaxValue;
        long bytes = 0;
        for (int round = 0; round < 5; round++)
        {
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            long t0 = CpuClock.ThreadNanoseconds();
            for (int i = 0; i < n; i++)
            {
                action();
            }

            best = Math.Min(best, (CpuClock.ThreadNanoseconds() - t0) / 1000.0 / n);
            bytes = (GC.GetAllocatedBytesForCurrentThread() - a0) / n;
        }

        Console.WriteLine($"{name,-32} {best,10:0.000} µs {bytes,8} B");
    }
}
