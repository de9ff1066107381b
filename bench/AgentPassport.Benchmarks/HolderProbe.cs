using System.Diagnostics;

namespace AgentPassport.Benchmarks;

/// <summary><c>--probe-holder</c>: CPU time of the pieces of a proof verification, one at a time, to see where the overhead over a raw verify goes.</summary>
public static class HolderProbe
{
    public static int Run()
    {
        using var fx = new BenchFixture(freshLeavesPerLength: 1);
        using var key = PassportHolderKey.Generate();
        var issued = fx.Issuer.Issue(fx.RootRequest with { HolderThumbprint = key.Thumbprint });
        var policy = BenchFixture.PolicyFor(1);
        var leaf = fx.ColdVerifier.VerifyAsync(issued.Token, policy).AsTask().GetAwaiter().GetResult();
        var expectation = PassportProofExpectation.ForOperation(policy.Audience, "flights:book");
        string[] proofs = [.. Enumerable.Range(0, 4000).Select(_ => PassportProof.Create(key, policy.Audience, issued.Token, "flights:book"))];
        int next = 0;
        var warm = new PassportProofVerifier(policy, new InMemoryPassportReplayCache(1_000_000), TimeProvider.System);

        Measure("raw verify", 1000, () => fx.RawVerify());
        Measure("ParsedProof.Parse", 20000, () => ParsedProof.Parse(proofs[0], policy.AllowedProofAlgorithms, out _));
        string p0 = proofs[0];
        int d1 = p0.IndexOf('.'), d2 = p0.LastIndexOf('.');
        Measure("  split + 3 canonical decodes", 20000, () =>
        {
            _ = p0.AsSpan().ContainsAnyExcept(AgentPassport.Internal.CanonicalBase64Url.Alphabet);
            _ = AgentPassport.Jose.Segments.CanonicalDecode(p0.AsSpan(0, d1));
            _ = AgentPassport.Jose.Segments.CanonicalDecode(p0.AsSpan(d1 + 1, d2 - d1 - 1));
            _ = AgentPassport.Jose.Segments.CanonicalDecode(p0.AsSpan(d2 + 1));
        });
        byte[] hb = AgentPassport.Jose.Segments.CanonicalDecode(p0.AsSpan(0, d1))!;
        byte[] pb = AgentPassport.Jose.Segments.CanonicalDecode(p0.AsSpan(d1 + 1, d2 - d1 - 1))!;
        Measure("  bare reader pass, header + payload", 20000, () =>
        {
            var r = new System.Text.Json.Utf8JsonReader(hb);
            while (r.Read())
            {
            }

            r = new System.Text.Json.Utf8JsonReader(pb);
            while (r.Read())
            {
            }
        });
        Measure("key import (FromJwk)", 300, () => PassportVerificationKey.FromJwk(key.PublicJwkJson, "ES256"));
        var cache = new InMemoryPassportReplayCache(1_000_000);
        int id = 0;
        var jwkDoc = System.Text.Json.JsonDocument.Parse(key.PublicJwkJson).RootElement;
        var ecParams = new System.Security.Cryptography.ECParameters
        {
            Curve = System.Security.Cryptography.ECCurve.NamedCurves.nistP256,
            Q = new System.Security.Cryptography.ECPoint { X = System.Buffers.Text.Base64Url.DecodeFromChars(jwkDoc.GetProperty("x").GetString()), Y = System.Buffers.Text.Base64Url.DecodeFromChars(jwkDoc.GetProperty("y").GetString()) },
        };
        Measure("  ECDsa.Create(parameters) only (OpenSSL validates the point)", 300, () => System.Security.Cryptography.ECDsa.Create(ecParams).Dispose());
        Measure("replay cache insert", 20000, () => cache.TryRecordAsync(key.Thumbprint, "jti-" + id++, TimeSpan.FromMinutes(2)).AsTask().GetAwaiter().GetResult());
        Measure("leaf hash (Segments.Hash)", 20000, () => AgentPassport.Jose.Segments.Hash(issued.Token));
        Measure("verify proof, warm verifier", 3000, () => warm.VerifyAsync(leaf, proofs[next++ % proofs.Length], expectation).AsTask().GetAwaiter().GetResult());
        Measure("verify proof, fresh verifier each (cold key)", 300, () =>
            new PassportProofVerifier(policy, new InMemoryPassportReplayCache(), TimeProvider.System).VerifyAsync(leaf, proofs[next++ % proofs.Length], expectation).AsTask().GetAwaiter().GetResult());
        Measure("raw verify (again)", 1000, () => fx.RawVerify());
        return 0;
    }

    private static void Measure(string name, int n, Action action)
    {
        for (int i = 0; i < Math.Min(n, 200); i++)
        {
            action();
        }

        var start = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < n; i++)
        {
            action();
        }

        double us = (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMicroseconds / n;
        Console.WriteLine($"{name,-50} {us,9:0.00} µs");
    }
}
