using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel;
using Xunit.Abstractions;

namespace AgentPassport.SemanticKernel.Tests.Concurrency;

/// <summary>
/// Issue 9 item 4: 10,000 filtered function calls (<c>kernel.InvokeAsync</c> through <c>UseAgentPassport</c> on per-agent
/// kernels) and 10,000 direct verifications, all in flight together across 8 agents with different scopes, while the
/// issuer's signing key is rotated in the middle. Every allow/deny matches a hand-written table, every function body sees
/// its own agent's Passport, tokens signed before and after the rotation verify, and nothing throws.
/// </summary>
public sealed class RotationUnderLoadTests(ITestOutputHelper output)
{
    private const string IssuerUrl = "https://issuer.test";
    private const int Calls = 10_000;
    private const int Verifications = 10_000;

    private static readonly string[] Tools = ["flights.book", "flights.search", "hotels.book", "hotels.cancel", "payments.charge"];

    // What each agent is granted, and (by hand, not by the library's Covers) which tools that allows.
    private static readonly (string[] Scopes, string[] Allowed)[] Agents =
    [
        (["flights:book"], ["flights.book"]),
        (["hotels:book"], ["hotels.book"]),
        (["payments:charge"], ["payments.charge"]),
        (["flights:search"], ["flights.search"]),
        (["flights:book", "hotels:book"], ["flights.book", "hotels.book"]),
        (["flights:*"], ["flights.book", "flights.search"]),
        (["hotels:book", "payments:charge"], ["hotels.book", "payments.charge"]),
        (["flights:search", "payments:charge"], ["flights.search", "payments.charge"]),
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(PassportVerifier.DefaultCacheCapacity)]
    public async Task TenThousandCallsAndVerifications_AcrossEightAgents_WithKeyRotationMidway_NoWrongDecisionNoLeakNoException(int verificationCacheSize)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        using var keys = new InMemoryPassportKeyStore();
        var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = keys, TimeProvider = time });
        var verifier = new PassportVerifier(keys, time, verificationCacheSize);
        var sink = new InMemoryPassportAuditSink(capacity: 100_000);

        // Cache off: every filtered call verifies its Passport and chain again. Cache on (the verifier's VerifiedChainCache,
        // spec §5: keyed on the full token strings and the policy; rotation re-checks the keys): 16 worker contexts, so most filtered calls are hits (direct verifications never are).
        var authorizer = new PassportAuthorizer(verifier,
            new PassportAuthorizerOptions { Policy = new VerificationPolicy(IssuerUrl, "https://tools.example.com/") }, sink, time);
        var delegation = new PassportKernelDelegator(new PassportDelegator(issuer, authorizer));
        var log = new ProbeLog();
        var builder = Kernel.CreateBuilder();
        builder.Plugins.AddFromObject(new ProbeFlights(log), "flights");
        builder.Plugins.AddFromObject(new ProbeHotels(log), "hotels");
        builder.Plugins.AddFromObject(new ProbePayments(log), "payments");
        var template = builder.Build().UseAgentPassport(authorizer, passport: null);

        var before = await MintAgentsAsync(delegation, template, "before");
        string keyBefore = keys.CurrentSigningKey.KeyId;
        Generation? after = null;
        var rotated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int completed = 0;
        int preRotationFinishedAfter = 0;
        int rotateAt = (Calls + Verifications) / 4;

        async Task Rotate()
        {
            keys.Rotate();
            after = await MintAgentsAsync(delegation, template, "after");
            rotated.SetResult();
        }

        void Completed(int n)
        {
            if (n < Calls / 2 && rotated.Task.IsCompleted)
            {
                Interlocked.Increment(ref preRotationFinishedAfter);
            }

            // The rotation happens while three quarters of the work is still queued or running.
            if (Interlocked.Increment(ref completed) == rotateAt)
            {
                _ = Task.Run(Rotate);
            }
        }

        // Calls and verifications in the first half use pre-rotation Passports; in the second half they wait for the
        // rotation and then alternate between pre- and post-rotation Passports.
        async Task<Generation> GenerationFor(int n)
        {
            if (n < Calls / 2)
            {
                return before;
            }

            await rotated.Task;
            return n % 2 == 0 ? after! : before;
        }

        var watch = Stopwatch.StartNew();
        var callTasks = Enumerable.Range(0, Calls).Select(n => Task.Run(async () =>
        {
            var generation = await GenerationFor(n);
            var (agent, tool) = Pick(n);
            var kernel = generation.Kernels[agent];
            var parts = tool.Split('.');
            var result = await kernel.InvokeAsync(parts[0], parts[1], new KernelArguments { ["call"] = n });
            Completed(n);
            return new CallOutcome(n, agent, tool, generation, kernel.GetPassport()!.Token, result.GetPassportDenial(), result.GetValue<object>()?.ToString());
        })).ToList();
        var verifyTasks = Enumerable.Range(0, Verifications).Select(n => Task.Run(async () =>
        {
            var generation = await GenerationFor(n);
            var (agent, tool) = Pick(n);
            var context = generation.Kernels[agent].GetPassport()!;
            var policy = new VerificationPolicy(IssuerUrl, Audience(agent)) { RequiredScope = tool.Replace('.', ':') };
            var result = await verifier.ValidateAsync(context.Token, policy, context.ChainTokens);
            Completed(n);
            return (Agent: agent, Tool: tool, Generation: generation, Result: result);
        })).ToList();

        var calls = await Task.WhenAll(callTasks);
        var verifications = await Task.WhenAll(verifyTasks);
        watch.Stop();

        // The rotation really happened in the middle, and both key generations were exercised.
        Assert.NotNull(after);
        Assert.NotEqual(keyBefore, keys.CurrentSigningKey.KeyId);
        Assert.All(before.Kernels, k => Assert.Contains($"\"{keyBefore}\"", Header(k.GetPassport()!.Token), StringComparison.Ordinal));
        Assert.All(after!.Kernels, k => Assert.Contains($"\"{keys.CurrentSigningKey.KeyId}\"", Header(k.GetPassport()!.Token), StringComparison.Ordinal));
        Assert.True(preRotationFinishedAfter > 0, "no first-half call or verification was still in flight when the key rotated");
        Assert.Equal(Calls / 2 + Calls / 4, calls.Count(c => ReferenceEquals(c.Generation, before)));
        Assert.Equal(Calls / 4, calls.Count(c => ReferenceEquals(c.Generation, after)));

        // Filtered calls: allow/deny exactly as the table says; an allowed body ran once, on the caller's own kernel.
        foreach (var call in calls)
        {
            bool allowed = Agents[call.Agent].Allowed.Contains(call.Tool);
            if (allowed)
            {
                Assert.Null(call.Denial);
                Assert.Equal($"{call.Tool}:{call.N}", call.Value);
                Assert.True(log.Runs.TryGetValue(call.N, out var run), $"call {call.N} allowed but its body did not run");
                Assert.Equal(call.Tool, run.Tool);
                Assert.Equal(call.Token, run.Token);
            }
            else
            {
                Assert.NotNull(call.Denial);
                Assert.Equal(PassportErrorKind.ScopeViolation, call.Denial!.Decision.Error!.Kind);
                Assert.False(log.Runs.ContainsKey(call.N), $"call {call.N} denied but its body ran");
            }
        }

        int allowedCalls = calls.Count(c => Agents[c.Agent].Allowed.Contains(c.Tool));
        Assert.Equal(allowedCalls, log.Runs.Count);

        // Audit: one decision per call, each naming the right agent, allowed exactly when the table allows.
        var decisions = sink.Events.Where(e => e.Kind != PassportAuditEventKind.Minted).ToList();
        Assert.Equal(Calls, decisions.Count);
        Assert.Equal(2 * (1 + Agents.Length), sink.Events.Count(e => e.Kind == PassportAuditEventKind.Minted));
        foreach (var group in decisions.GroupBy(d => (d.AgentId, d.ToolName, d.Kind)))
        {
            int agent = int.Parse(group.Key.AgentId!["agent:worker".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Agents[agent].Allowed.Contains(group.Key.ToolName), group.Key.Kind == PassportAuditEventKind.Allowed);
            Assert.Equal(calls.Count(c => c.Agent == agent && c.Tool == group.Key.ToolName), group.Count());
        }

        // Direct verifications: success exactly when the table allows, for the right agent; ScopeViolation otherwise.
        foreach (var v in verifications)
        {
            bool allowed = Agents[v.Agent].Allowed.Contains(v.Tool);
            Assert.True(allowed == v.Result.Succeeded, $"agent {v.Agent} {v.Tool}: {v.Result.Error}");
            if (allowed)
            {
                Assert.Equal($"agent:worker{v.Agent}", v.Result.Passport!.Passport.AgentId);
            }
            else
            {
                Assert.Equal(PassportErrorKind.ScopeViolation, v.Result.Error!.Kind);
            }
        }

        double seconds = watch.Elapsed.TotalSeconds;
        output.WriteLine($"verification cache {verificationCacheSize}: {Calls} filtered calls ({allowedCalls} allowed) + {Verifications} verifications, 8 agents, rotation after {rotateAt} completions " +
            $"({preRotationFinishedAfter} first-half operations finished after it): " +
            $"{seconds:0.00} s wall, {(Calls + Verifications) / seconds:0} operations/s on {Environment.ProcessorCount} cores");
    }

    private static (int Agent, string Tool) Pick(int n) => (n % Agents.Length, Tools[n / Agents.Length % Tools.Length]);

    private static string Audience(int agent) => $"https://worker{agent}.example.com/";

    private static string Header(string token)
    {
        string segment = token.Split('.')[0];
        string b64 = segment.Replace('-', '+').Replace('_', '/');
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=')));
    }

    /// <summary>Alice's root (from a fresh login) and her 8 workers, each on its own kernel.</summary>
    private static async Task<Generation> MintAgentsAsync(PassportKernelDelegator delegation, Kernel template, string label)
    {
        var alice = await delegation.CreateAgentKernelAsync(template, new RootPassportRequest
        {
            Identity = new IdentityAssertion("https://csp.example.com", "user-alice", "http://idmanagement.gov/ns/assurance/ial/2", new AssuranceLevels(2, 2, 2)),
            AgentId = "agent:alice",
            AgentModel = "model-a",
            Audience = "https://alice.agents.example.com/",
            ToolScope = ["flights:*", "hotels:*", "payments:charge"],
            TaskPurpose = $"plan a trip ({label})",
        });
        var kernels = new Kernel[Agents.Length];
        for (int i = 0; i < Agents.Length; i++)
        {
            kernels[i] = await delegation.DelegateAsync(alice, new DelegationRequest
            {
                AgentId = $"agent:worker{i}",
                AgentModel = "model-w",
                Audience = Audience(i),
                ToolScope = Agents[i].Scopes,
            });
        }

        return new Generation(label, kernels);
    }

    private sealed record Generation(string Label, Kernel[] Kernels);

    private sealed record CallOutcome(int N, int Agent, string Tool, Generation Generation, string Token, PassportDenial? Denial, string? Value);
}
