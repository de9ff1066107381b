using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentPassport.Benchmarks;

/// <summary>
/// The <c>--quick</c> mode: an interleaved Stopwatch harness. Every operation runs a fixed count in every round, in the
/// same order; each target's ratio is computed per round (numerator and baseline from the same round) and the median
/// across rounds is reported, which cancels most of the noise of a shared machine. Finishes in well under a minute.
/// </summary>
public static class QuickRun
{
    private const int WarmupRounds = 2;

    public static int Run(string[] args)
    {
        int rounds = ArgInt(args, "--rounds", 15);
        string output = ArgString(args, "--out", Path.Combine("artifacts", "bench", "summary.json"));
        var started = Stopwatch.StartNew();

        using var fx = new BenchFixture();
        var sk = new SkFixture(fx);
        using var http = new HttpFixture();
        var ops = BuildOperations(fx, sk, http);
        Console.Error.WriteLine($"quick: fixture ready in {started.Elapsed.TotalSeconds:0.0} s; {ops.Count} operations × {rounds} rounds");

        // Each op is timed on two clocks: CPU time (the thread's, or the process's for the concurrent runs), which
        // ignores time spent waiting for a core on a shared machine, and the wall clock.
        string loadBefore = LoadAverage();
        var cpu = ops.ToDictionary(o => o.Name, _ => new List<double>());
        var wall = ops.ToDictionary(o => o.Name, _ => new List<double>());
        for (int round = 0; round < WarmupRounds + rounds; round++)
        {
            foreach (var op in ops)
            {
                op.Setup?.Invoke();
                // The 8-agent runs and the HTTP requests (the test server hops threads) are timed on the process's CPU clock.
                bool concurrent = op.Name.StartsWith("agents.", StringComparison.Ordinal) || op.Name.StartsWith("http.", StringComparison.Ordinal);
                long c0 = concurrent ? CpuClock.ProcessNanoseconds() : CpuClock.ThreadNanoseconds();
                long w0 = Stopwatch.GetTimestamp();
                op.Body(op.Count);
                double wallUs = Stopwatch.GetElapsedTime(w0).TotalMicroseconds / op.Count;
                double cpuUs = ((concurrent ? CpuClock.ProcessNanoseconds() : CpuClock.ThreadNanoseconds()) - c0) / 1000.0 / op.Count;
                if (round >= WarmupRounds)
                {
                    cpu[op.Name].Add(cpuUs);
                    wall[op.Name].Add(wallUs);
                }
            }
        }

        var alloc = MeasureAllocations(fx, sk);
        var summary = Summarize(fx, cpu, alloc, rounds, started.Elapsed);
        var wallSummary = Summarize(fx, wall, alloc, rounds, started.Elapsed);
        var wallTargets = wallSummary["targets"]!.AsArray();
        var targets = summary["targets"]!.AsArray();
        for (int i = 0; i < targets.Count; i++)
        {
            targets[i]!["ratio_wall_clock"] = wallTargets[i]!["ratio"]!.DeepClone();
        }

        // The audit log (spec v1.1 §14): measured once, on the wall clock (its writer works on another thread).
        var audit = AuditLogBench.Measure(fx, sk);
        summary["audit_log"] = audit;
        double extra = audit["sk_plugin_sqlite_queued_us"]!.GetValue<double>() - audit["sk_plugin_in_memory_sink_us"]!.GetValue<double>();
        targets.Add(new JsonObject
        {
            ["name"] = "SK plugin with the SQLite audit log (queued writes, amortized): extra µs per call over the in-memory sink",
            ["ratio"] = Math.Round(extra, 3),
            ["target"] = 1.0,
            ["comparison"] = "<=",
            ["unit"] = "µs",
            ["met"] = extra <= 1.0,
            ["note"] = $"durable per call, one caller at a time: {audit["sk_plugin_sqlite_durable_sequential_us"]} µs; "
                + $"append {audit["append_events_per_second_8_writers_durable"]} events/s (8 writers, durable) vs raw SQLite {audit["raw_sqlite_inserts_per_second_512_per_transaction"]} inserts/s; "
                + $"verify {audit["verify_records_per_second"]} records/s",
            ["ratio_wall_clock"] = Math.Round(extra, 3),
        });

        summary["clock"] = CpuClock.IsCpuTime
            ? "ratio = CPU time (thread; process for the 8-agent runs); ratio_wall_clock = wall clock"
            : "wall clock (CPU-time clock unavailable)";
        summary["load_average_before"] = loadBefore;
        summary["chain_series_wall_clock"] = wallSummary["chain_series"]!.DeepClone();
        summary["operations_wall_clock"] = wallSummary["operations"]!.DeepClone();
        string json = summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(json);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, json);
        Console.Error.WriteLine($"quick: done in {started.Elapsed.TotalSeconds:0.0} s; wrote {output}");
        return 0;
    }

    private static List<Op> BuildOperations(BenchFixture fx, SkFixture sk, HttpFixture http)
    {
        // The concurrent runs go first, then a pause so the thread pool's spinning workers go idle before the
        // single-threaded timings. Every numerator is timed right after its own raw-crypto baseline sample
        // ("base:<name>"), so a ratio compares two measurements taken under the same load.
        var ops = new List<Op>
        {
            new("agents.plain", 1, _ => SkFixture.RunAgents(sk, sk.PlainAgents, 10_000)),
            new("agents.plain.b", 1, _ => SkFixture.RunAgents(sk, sk.PlainAgents, 10_000)),
            new("agents.plugin", 1, _ => SkFixture.RunAgents(sk, sk.PluginAgents, 10_000)),
            new("settle", 1, _ => Thread.Sleep(50)),
        };

        void VsVerify(string name, int count, Action<int> body, Action? setup = null)
        {
            ops.Add(new(BaseOf(name), 60, n => Repeat(n, () => fx.RawVerify())));
            ops.Add(new(name, count, body, setup));
        }

        void VsSign(string name, int count, Action<int> body)
        {
            ops.Add(new(BaseOf(name), 150, n => Repeat(n, () => fx.RawSign())));
            ops.Add(new(name, count, body));
        }

        for (int n = 1; n <= BenchFixture.MaxTokens; n++)
        {
            var (leaf, parents) = fx.ChainOf(n);
            var policy = BenchFixture.PolicyFor(n);
            VsVerify($"chain.cold.{n}", Math.Max(10, 80 / n), c => Repeat(c, () => Expect(fx.ColdVerifier, leaf, policy, parents, true)));

            // A full hit: the same leaf and chain again, through a verifier with a warm cache.
            var hitVerifier = new PassportVerifier(fx.Keys, TimeProvider.System, new VerifiedChainCache());
            Expect(hitVerifier, leaf, policy, parents, true);
            VsVerify($"chain.hit.{n}", 5000, c => Repeat(c, () => Expect(hitVerifier, leaf, policy, parents, true)));

            if (n >= 2)
            {
                // New leaves under parents verified before: a fresh cache per round, warmed (untimed) by verifying the
                // last parent as a leaf under its own audience, then every leaf is seen for the first time.
                var fresh = fx.FreshLeaves[n];
                PassportVerifier? verifier = null;
                var (parentLeaf, grandParents) = fx.ChainOf(n - 1);
                var parentPolicy = BenchFixture.PolicyFor(n - 1);
                VsVerify($"chain.newleaf.{n}", fresh.Length, c =>
                {
                    for (int i = 0; i < c; i++)
                    {
                        Expect(verifier!, fresh[i], policy, parents, true);
                    }
                },
                setup: () =>
                {
                    verifier = new PassportVerifier(fx.Keys, TimeProvider.System, new VerifiedChainCache());
                    Expect(verifier, parentLeaf, parentPolicy, grandParents, true);
                });
            }
        }

        // Revocation (spec v1.1 §12): the same chain of 3 with and without a populated store, cold and on a cache hit.
        {
            var (leaf3, parents3) = fx.ChainOf(3);
            var policy3 = BenchFixture.PolicyFor(3);
            var store = RevocationBench.PopulatedStore();
            var coldRevoking = new PassportVerifier(fx.Keys, TimeProvider.System) { Revocations = store };
            var hitPlain = new PassportVerifier(fx.Keys, TimeProvider.System, new VerifiedChainCache());
            var hitRevoking = new PassportVerifier(fx.Keys, TimeProvider.System, new VerifiedChainCache()) { Revocations = store };
            Expect(hitPlain, leaf3, policy3, parents3, true);
            Expect(hitRevoking, leaf3, policy3, parents3, true);
            ops.Add(new("revocation.cold.off.3", 25, c => Repeat(c, () => Expect(fx.ColdVerifier, leaf3, policy3, parents3, true))));
            ops.Add(new("revocation.cold.on.3", 25, c => Repeat(c, () => Expect(coldRevoking, leaf3, policy3, parents3, true))));
            ops.Add(new("revocation.hit.off.3", 20000, c => Repeat(c, () => Expect(hitPlain, leaf3, policy3, parents3, true))));
            ops.Add(new("revocation.hit.on.3", 20000, c => Repeat(c, () => Expect(hitRevoking, leaf3, policy3, parents3, true))));
        }

        // Argument constraints (spec v1.1 §13): five constraints checked on the cached path, next to the plain cached call.
        {
            var constraints = new ConstraintBench(fx);
            ops.Add(new("constraints.off", 20000, c => Repeat(c, constraints.Plain)));
            ops.Add(new("constraints.on5", 20000, c => Repeat(c, constraints.Constrained)));
        }

        VsSign("issue", 150, n => Repeat(n, () => fx.Issuer.Issue(fx.RootRequest)));
        var childRequest = fx.ChildRequest(1, BenchFixture.Audience(2));
        VsSign("delegate", 150, n => Repeat(n, () => fx.Issuer.Delegate(fx.Verified[0], childRequest)));
        var rootPolicy = BenchFixture.PolicyFor(1);
        VsVerify("reject.garbage", 5000, n => Repeat(n, () => Expect(fx.ColdVerifier, fx.Garbage, rootPolicy, [], false)));
        VsVerify("reject.oversize", 20000, n => Repeat(n, () => Expect(fx.ColdVerifier, fx.Oversize, rootPolicy, [], false)));
        VsVerify("maxsize.badsig.claims", 40, n => Repeat(n, () => ExpectKind(fx.ColdVerifier, fx.MaxSizeBadSignatureManyClaims, PassportErrorKind.InvalidSignature)));
        VsVerify("maxsize.badsig.strings", 40, n => Repeat(n, () => ExpectKind(fx.ColdVerifier, fx.MaxSizeBadSignatureLongStrings, PassportErrorKind.InvalidSignature)));
        // Holder binding (spec v1.1 §11): proof verification, a cached-chain call with a proof, and an in-process SK call
        // that signs and verifies a proof, each right after its raw-crypto baseline.
        var holder = new HolderBench(fx, sk);
        ops.Add(new(BaseOf("holder.proof"), 60, n => Repeat(n, () => fx.RawVerify())));
        ops.Add(new("holder.proof", HolderBench.ProofsPerRound, holder.VerifyProofs, holder.NewRound));
        ops.Add(new(BaseOf("holder.proof.warm"), 60, n => Repeat(n, () => fx.RawVerify())));
        ops.Add(new("holder.proof.warm", HolderBench.ProofsPerRound, holder.VerifyProofsWarm, holder.NewRound));
        ops.Add(new(BaseOf("holder.call"), 60, n => Repeat(n, () => fx.RawVerify())));
        ops.Add(new("holder.call", HolderBench.ProofsPerRound, holder.AuthorizeWithProofs, holder.NewRound));
        ops.Add(new(BaseOf("holder.sk"), 60, n => Repeat(n, holder.RawSignAndVerify)));
        ops.Add(new("holder.sk", 60, n => Repeat(n, () => holder.InvokeSk())));
        // ASP.NET Core (issue 20): the same endpoint without the handler, behind it with a bearer leaf and a cached chain of
        // 3, and with the chain holder-bound and a fresh proof per request.
        const int httpRequests = 400;
        ops.Add(new("http.plain", httpRequests, n => Repeat(n, http.Plain)));
        ops.Add(new("http.bearer", httpRequests, n => Repeat(n, http.WithBearer)));
        ops.Add(new("http.plain.2", httpRequests, n => Repeat(n, http.Plain)));
        VsVerify("http.proof", httpRequests, n =>
        {
            for (int i = 0; i < n; i++)
            {
                http.WithProof(i);
            }
        }, setup: () => http.PrepareProofs(httpRequests));
        ops.Add(new("http.plain.3", httpRequests, n => Repeat(n, http.Plain)));
        ops.Add(new("pipeline.plain", 2000, n => Repeat(n, http.DirectPlain)));
        ops.Add(new("pipeline.bearer", 2000, n => Repeat(n, http.DirectBearer)));
        ops.Add(new("pipeline.plain.2", 2000, n => Repeat(n, http.DirectPlain)));
        VsVerify("pipeline.proof", httpRequests, n =>
        {
            for (int i = 0; i < n; i++)
            {
                http.DirectProof(i);
            }
        }, setup: () => http.PrepareProofs(httpRequests));
        ops.Add(new("sk.plain", 20000, n => Repeat(n, () => sk.Invoke(sk.Plain))));
        ops.Add(new("sk.noop", 20000, n => Repeat(n, () => sk.Invoke(sk.NoOp))));
        ops.Add(new("sk.plain.2", 20000, n => Repeat(n, () => sk.Invoke(sk.Plain))));
        ops.Add(new("sk.plugin", 20000, n => Repeat(n, () => sk.Invoke(sk.Plugin))));
        ops.Add(new("sk.plain.3", 20000, n => Repeat(n, () => sk.Invoke(sk.Plain))));
        return ops;
    }

    private static string BaseOf(string name) => "base:" + name;

    private static Dictionary<string, double> MeasureAllocations(BenchFixture fx, SkFixture sk)
    {
        var (leaf, parents) = fx.ChainOf(1);
        var policy = BenchFixture.PolicyFor(1);
        var (leaf3, parents3) = fx.ChainOf(3);
        var policy3 = BenchFixture.PolicyFor(3);
        var hit = new PassportVerifier(fx.Keys, TimeProvider.System, new VerifiedChainCache());
        Expect(hit, leaf3, policy3, parents3, true);
        return new Dictionary<string, double>
        {
            ["raw.verify"] = BytesPerCall(() => fx.RawVerify()),
            ["verify.cold.1"] = BytesPerCall(() => Expect(fx.ColdVerifier, leaf, policy, parents, true)),
            ["chain.hit.3"] = BytesPerCall(() => Expect(hit, leaf3, policy3, parents3, true)),
            ["sk.plain"] = BytesPerCall(() => sk.Invoke(sk.Plain)),
            ["sk.noop"] = BytesPerCall(() => sk.Invoke(sk.NoOp)),
            ["sk.plugin"] = BytesPerCall(() => sk.Invoke(sk.Plugin)),
        };
    }

    private static JsonObject Summarize(BenchFixture fx, Dictionary<string, List<double>> times, Dictionary<string, double> alloc, int rounds, TimeSpan elapsed)
    {
        double Med(string op) => Median(times[op]);
        double RawMedian() => Median([.. times.Where(t => t.Key.StartsWith("base:chain.", StringComparison.Ordinal)).SelectMany(t => t.Value)]);
        double RatioMedian(Func<int, double> perRound) => Median([.. Enumerable.Range(0, rounds).Select(perRound)]);
        double T(string op, int r) => times[op][r];
        double Vs(string op, int r) => times[op][r] / times[BaseOf(op)][r];

        var targets = new JsonArray();
        void Target(string name, double measured, string comparison, double target, string unit, string? note = null)
        {
            bool met = comparison == "<=" ? measured <= target : measured >= target;
            var item = new JsonObject
            {
                ["name"] = name,
                ["ratio"] = Math.Round(measured, unit == "B" ? 1 : 3),
                ["target"] = target,
                ["comparison"] = comparison,
                ["unit"] = unit,
                ["met"] = met,
            };
            if (note is not null)
            {
                item["note"] = note;
            }

            targets.Add(item);
        }

        Target("verify one ES256 Passport, cold / raw ECDsa.VerifyData", RatioMedian(r => Vs("chain.cold.1", r)), "<=", 1.10, "x");
        for (int n = 1; n <= 8; n++)
        {
            int k = n;
            Target($"verify a chain of {n} token(s), cold / ({n} × raw verify)", RatioMedian(r => Vs($"chain.cold.{k}", r) / k), "<=", 1.05, "x");
        }

        for (int n = 2; n <= BenchFixture.MaxTokens; n++)
        {
            int k = n;
            Target($"verify a new leaf whose {n - 1} parent(s) are cached / raw verify", RatioMedian(r => Vs($"chain.newleaf.{k}", r)), "<=", 1.15, "x");
        }

        Target("issue a root Passport / raw ECDsa.SignData", RatioMedian(r => Vs("issue", r)), "<=", 1.10, "x");
        Target("delegate one hop / raw ECDsa.SignData", RatioMedian(r => Vs("delegate", r)), "<=", 1.10, "x");
        Target("SK plugin on main (UseAgentPassport), Passport already verified: extra µs per call over plain InvokeAsync", RatioMedian(r => T("sk.plugin", r) - ((times["sk.plain.2"][r] + times["sk.plain.3"][r]) / 2)), "<=", 0.3, "µs",
            $"plugin filter {Med("sk.plugin"):0.000} µs per call (authorizer over the cached verifier, an audit event per decision to a discarding sink)");
        Target("SK plugin on main: extra bytes per call over a no-op filter", Math.Round(alloc["sk.plugin"] - alloc["sk.noop"]), "<=", 0, "B",
            $"plugin filter {alloc["sk.plugin"]:0} B per call");
        Target("SK plugin on main: 8 agents × 10,000 concurrent calls, filtered / unfiltered throughput", RatioMedian(r => T("agents.plain.b", r) / T("agents.plugin", r)), ">=", 0.8, "x",
            $"wall time plain {Med("agents.plain.b") / 1000:0.0} ms, plugin {Med("agents.plugin") / 1000:0.0} ms");
        Target("reject garbage / raw verify", RatioMedian(r => Vs("reject.garbage", r)), "<=", 0.1, "x");
        Target("reject an oversize token / raw verify", RatioMedian(r => Vs("reject.oversize", r)), "<=", 0.1, "x");
        Target("max-size (16 KiB) Passport, bad signature, many claims / raw verify", RatioMedian(r => Vs("maxsize.badsig.claims", r)), "<=", 2.0, "x",
            $"{fx.MaxSizeBadSignatureManyClaims.Length} chars, {fx.MaxSizeClaimCount} claims");
        Target("max-size (16 KiB) Passport, bad signature, long strings / raw verify", RatioMedian(r => Vs("maxsize.badsig.strings", r)), "<=", 2.0, "x",
            $"{fx.MaxSizeBadSignatureLongStrings.Length} chars");
        Target("allocation per cold one-hop verify", alloc["verify.cold.1"], "<=", 6144, "B", $"raw ECDsa.VerifyData alone allocates {alloc["raw.verify"]:0} B");
        Target("cache hit (chain of 3) / raw verify (security-perf-notes B.3 item 4)", RatioMedian(r => Vs("chain.hit.3", r)), "<=", 0.003, "x",
            $"{Med("chain.hit.3") * 1000:0} ns, {alloc["chain.hit.3"]:0} B per hit");

        Target("revocation check on a cache hit (chain of 3, store of 1,200 entries): extra ns per link", RatioMedian(r => (T("revocation.hit.on.3", r) - T("revocation.hit.off.3", r)) * 1000 / 3), "<=", 50, "ns",
            $"hit without {Med("revocation.hit.off.3") * 1000:0} ns, with {Med("revocation.hit.on.3") * 1000:0} ns per call");
        Target("five argument constraints on the cached authorizer path: extra µs per call", RatioMedian(r => T("constraints.on5", r) - T("constraints.off", r)), "<=", 1.0, "µs",
            $"cached call without constraints {Med("constraints.off"):0.000} µs, with five {Med("constraints.on5"):0.000} µs");
        Target("cold verification of a chain of 3, revocation on / off", RatioMedian(r => T("revocation.cold.on.3", r) / T("revocation.cold.off.3", r)), "<=", 1.01, "x");

        Target("verify a proof of possession (ES256) / raw verify", RatioMedian(r => Vs("holder.proof", r)), "<=", 1.10, "x");
        Target("verify a proof of possession (ES256), holder key already parsed (one verifier across rounds) / raw verify", RatioMedian(r => Vs("holder.proof.warm", r)), "<=", 1.10, "x");
        Target("cached-chain call with a proof (authorizer) / raw verify", RatioMedian(r => Vs("holder.call", r)), "<=", 1.15, "x");
        Target("in-process SK call, proof signed and verified / (raw sign + raw verify)", RatioMedian(r => Vs("holder.sk", r)), "<=", 1.15, "x");
        double HttpPlain(int r) => (T("http.plain", r) + T("http.plain.2", r) + T("http.plain.3", r)) / 3;
        string Rps(string op) => $"{1e6 / Med(op):0} requests/s";
        Target("HTTP endpoint (in-memory test server, one request at a time), bearer leaf + cached chain of 3: requests/s with the handler / without", RatioMedian(r => HttpPlain(r) / T("http.bearer", r)), ">=", 0.8, "x",
            $"without the handler {Med("http.plain"):0.0} µs ({Rps("http.plain")}), with it {Med("http.bearer"):0.0} µs ({Rps("http.bearer")}), holder-bound with a proof {Med("http.proof"):0.0} µs ({Rps("http.proof")}); process CPU, noisy on a shared machine: the added cost is measured on the pipeline below");
        double PipelinePlain(int r) => (T("pipeline.plain", r) + T("pipeline.plain.2", r)) / 2;
        Target("ASP.NET Core pipeline invoked directly (thread CPU), bearer leaf + cached chain of 3: added µs per request over the same pipeline without the handler", RatioMedian(r => T("pipeline.bearer", r) - PipelinePlain(r)), "<=", 2.0, "µs",
            $"without the handler {Med("pipeline.plain"):0.00} µs, with it {Med("pipeline.bearer"):0.00} µs per request");
        Target("ASP.NET Core pipeline invoked directly (thread CPU), holder proof + cached chain of 3: added CPU per request / (1.2 × raw verify + 2 µs)", RatioMedian(r => (T("pipeline.proof", r) - PipelinePlain(r)) / ((1.2 * T(BaseOf("pipeline.proof"), r)) + 2)), "<=", 1.0, "x",
            $"with the handler and a proof {Med("pipeline.proof"):0.0} µs; raw verify {Med(BaseOf("pipeline.proof")):0.0} µs");

        var series = new JsonArray();
        for (int n = 1; n <= BenchFixture.MaxTokens; n++)
        {
            series.Add(new JsonObject
            {
                ["tokens"] = n,
                ["cold_us"] = Math.Round(Med($"chain.cold.{n}"), 2),
                ["new_leaf_parents_cached_us"] = Math.Round(n == 1 ? Med("chain.cold.1") : Med($"chain.newleaf.{n}"), 2),
                ["cache_hit_us"] = Math.Round(Med($"chain.hit.{n}"), 3),
                ["raw_verify_times_n_us"] = Math.Round(n * RawMedian(), 2),
            });
        }

        var operations = new JsonObject();
        foreach (var (name, list) in times)
        {
            operations[name] = new JsonObject { ["median_us"] = Math.Round(Median(list), 3), ["min_us"] = Math.Round(list.Min(), 3) };
        }

        return new JsonObject
        {
            ["mode"] = "quick",
            ["rounds"] = rounds,
            ["seconds"] = Math.Round(elapsed.TotalSeconds, 1),
            ["machine"] = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}",
            ["load_average"] = LoadAverage(),
            ["targets"] = targets,
            ["chain_series"] = series,
            ["operations"] = operations,
            ["allocated_bytes_per_call"] = JsonSerializer.SerializeToNode(alloc),
        };
    }

    private static readonly VerificationPolicy RootPolicy = BenchFixture.PolicyFor(1);

    private static void Expect(PassportVerifier verifier, string token, VerificationPolicy policy, IReadOnlyList<string> chain, bool success)
    {
        var result = Await(verifier.ValidateAsync(token, policy, chain));
        if (result.Succeeded != success)
        {
            throw new InvalidOperationException($"unexpected verification outcome: {result.Error}");
        }
    }

    private static void ExpectKind(PassportVerifier verifier, string token, PassportErrorKind kind)
    {
        var result = Await(verifier.ValidateAsync(token, RootPolicy));
        if (result.Error?.Kind != kind)
        {
            throw new InvalidOperationException($"expected {kind}, got {result.Error?.Kind.ToString() ?? "success"}");
        }
    }

    /// <summary>The result of a verification that (with an in-memory resolver) completes synchronously, without allocating a Task.</summary>
    private static PassportValidationResult Await(ValueTask<PassportValidationResult> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static void Repeat(int n, Action action)
    {
        for (int i = 0; i < n; i++)
        {
            action();
        }
    }

    private static double BytesPerCall(Action action, int n = 2000)
    {
        for (int i = 0; i < 50; i++)
        {
            action();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < n; i++)
        {
            action();
        }

        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / n;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static int ArgInt(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
    }

    private static string ArgString(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private sealed record Op(string Name, int Count, Action<int> Body, Action? Setup = null);
}
