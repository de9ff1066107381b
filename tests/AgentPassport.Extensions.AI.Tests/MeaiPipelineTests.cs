using AgentPassport.Extensions.AI;
using AgentPassport.Extensions.AI.Tests.Support;
using AgentPassport.Testing;
using AgentPassport.TestSupport.Adapters;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentPassport.Extensions.AI.Tests;

/// <summary>ChatClientBuilder.UseAgentPassport() in front of Microsoft.Extensions.AI's FunctionInvokingChatClient.</summary>
public sealed class MeaiPipelineTests : IDisposable
{
    private readonly PassportFixture _f = new();
    private readonly ToolBodies _bodies = new();

    public void Dispose() => _f.Dispose();

    private IChatClient Pipeline(ScriptedChatClient model, PassportContext? context, bool advertise = true) =>
        new ChatClientBuilder(model)
            .UseAgentPassport(_f.Authorizer, context, c =>
            {
                foreach (var (tool, scope) in ToolBodies.Map())
                {
                    c.ToolScopes[tool] = scope;
                }

                c.AdvertiseAllowedToolsOnly = advertise;
            })
            .UseFunctionInvocation()
            .Build();

    [Fact]
    public async Task A_tool_created_from_a_method_requires_the_scope_of_its_PassportScope_attribute()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        int runs = 0;
        var book = AIFunctionFactory.Create([PassportScope("flights:book")] (string item) => $"booked {item} {++runs}", "flights_book");
        var charge = AIFunctionFactory.Create([PassportScope("payments:charge")] (string item) => $"charged {item} {++runs}", "payments_charge");

        var guarded = new[] { book, charge }.GuardWithPassport(_f.Authorizer, carol);
        var allowed = await ((AIFunction)guarded[0]).InvokeAsync(new AIFunctionArguments { ["item"] = "x" });
        var denied = await ((AIFunction)guarded[1]).InvokeAsync(new AIFunctionArguments { ["item"] = "x" });

        Assert.Equal("flights:book", ((PassportGuardedAIFunction)guarded[0]).RequiredScope);
        Assert.Equal("payments:charge", ((PassportGuardedAIFunction)guarded[1]).RequiredScope);
        Assert.IsNotType<PassportDenial>(allowed);
        Assert.Equal(PassportErrorKind.ScopeViolation, Assert.IsType<PassportDenial>(denied).Error.Kind);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Allowed_call_runs_once_and_is_audited_and_only_allowed_tools_are_offered()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["flights_book"]).WithTravelItem();
        using var client = Pipeline(model, carol);

        var response = await client.GetResponseAsync("book", new ChatOptions { Tools = [.. _bodies.Plain()] });

        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal("carol: done", response.Text);
        Assert.Empty(response.Messages.GetPassportDenials());
        Assert.Equal(["flights_book"], model.OfferedTools[0]);
        Assert.Equal(["agent:carol allowed flights:book"], _f.Decisions());
    }

    [Fact]
    public async Task Denied_call_never_runs_terminates_the_loop_and_returns_a_typed_short_denial()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["hotels_book"]).WithTravelItem();
        using var client = Pipeline(model, carol, advertise: false);

        var response = await client.GetResponseAsync("book", new ChatOptions { Tools = [.. _bodies.Plain()] });

        Assert.Equal(0, _bodies.Total);
        Assert.Equal(1, model.Requests);   // terminated: no second model turn
        var denial = Assert.Single(response.Messages.GetPassportDenials());
        Assert.Equal(PassportErrorKind.ScopeViolation, denial.Error.Kind);
        Assert.Equal("DENIED by Agent Passport: 'hotels_book' was not run; it requires scope 'hotels:book'.", denial.Message);
        Assert.Equal(["agent:carol denied hotels:book"], _f.Decisions());
    }

    [Fact]
    public async Task Mixed_turn_runs_the_allowed_call_and_not_the_denied_one()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["flights_book", "payments_charge"]).WithTravelItem();
        using var client = Pipeline(model, carol, advertise: false);

        var response = await client.GetResponseAsync("book", new ChatOptions { Tools = [.. _bodies.Plain()] });

        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(0, _bodies.Runs("payments_charge"));
        Assert.Equal(["flights_book", "hotels_book", "payments_charge"], model.OfferedTools[0]);
        Assert.Equal("payments_charge", Assert.Single(response.Messages.GetPassportDenials()).Decision.ToolName);
        Assert.Equal(["agent:carol allowed flights:book", "agent:carol denied payments:charge"], _f.Decisions());
    }

    [Fact]
    public async Task A_request_Passport_takes_precedence_over_the_clients()
    {
        var (_, bob, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("bob", ["hotels_book"]).WithTravelItem();
        using var client = Pipeline(model, carol);

        await client.GetResponseAsync("book", new ChatOptions { Tools = [.. _bodies.Plain()] }.WithPassport(bob));

        Assert.Equal(1, _bodies.Runs("hotels_book"));
        Assert.Equal(["flights_book", "hotels_book"], model.OfferedTools[0]);
        Assert.Equal(["agent:bob allowed hotels:book"], _f.Decisions());
    }

    [Fact]
    public async Task The_request_Passport_never_reaches_the_model_client()
    {
        var (_, bob, _) = await _f.AliceBobCarolAsync();
        var seen = new List<ChatOptions?>();
        var model = new ScriptedChatClient("bob", ["hotels_book"]) { OnRequest = seen.Add }.WithTravelItem();
        using var client = Pipeline(model, context: null);
        var options = new ChatOptions { Tools = [.. _bodies.Plain()], AdditionalProperties = new() { ["other"] = 1 } }.WithPassport(bob);

        await client.GetResponseAsync("book", options);
        await client.GetResponseAsync("no tools", new ChatOptions().WithPassport(bob));

        Assert.Equal(3, seen.Count);
        Assert.All(seen, o => Assert.False(o.TryGetPassport(out _)));
        Assert.Equal(1, seen[0]!.AdditionalProperties!["other"]);
        Assert.True(options.TryGetPassport(out var untouched) && untouched == bob);   // the caller's options are not modified
        Assert.Equal(1, _bodies.Runs("hotels_book"));
    }

    [Fact]
    public async Task A_request_entry_that_is_not_a_PassportContext_counts_as_no_Passport()
    {
        var (alice, _, _) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("x", ["flights_book"]).WithTravelItem();
        using var client = Pipeline(model, alice, advertise: false);
        var options = new ChatOptions { Tools = [.. _bodies.Plain()], AdditionalProperties = new() { [PassportChatOptionsExtensions.ContextPropertyName] = alice.Token } };

        var response = await client.GetResponseAsync("book", options);

        Assert.Equal(0, _bodies.Total);
        Assert.Equal(PassportErrorKind.NoPassport, Assert.Single(response.Messages.GetPassportDenials()).Error.Kind);
    }

    [Fact]
    public async Task Without_a_Passport_nothing_is_offered_and_every_call_is_denied()
    {
        var advertising = new ScriptedChatClient("nobody").WithTravelItem();
        using (var offering = Pipeline(advertising, context: null))
        {
            await offering.GetResponseAsync("hi", new ChatOptions { Tools = [.. _bodies.Plain()] });
        }

        var model = new ScriptedChatClient("nobody", ["flights_book"]).WithTravelItem();
        using var client = Pipeline(model, context: null, advertise: false);

        var response = await client.GetResponseAsync("book", new ChatOptions { Tools = [.. _bodies.Plain()] });

        Assert.Empty(advertising.OfferedTools[0]);
        Assert.Equal(0, _bodies.Total);
        Assert.Equal(PassportErrorKind.NoPassport, Assert.Single(response.Messages.GetPassportDenials()).Error.Kind);
        Assert.Equal([" denied flights:book"], _f.Decisions());
    }

    [Fact]
    public async Task A_tool_without_a_resolvable_scope_is_denied()
    {
        var (alice, _, _) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("alice", ["flights_book"]).WithTravelItem();
        using var client = new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, alice, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync("book", new ChatOptions { Tools = [.. _bodies.Plain()] });

        Assert.Equal(0, _bodies.Total);
        var denial = Assert.Single(response.Messages.GetPassportDenials());
        Assert.Null(denial.Decision.RequiredScope);
        Assert.Equal(PassportErrorKind.NoScopeRequirement, denial.Error.Kind);
    }

    [Fact]
    public async Task Scopes_attached_to_tools_and_a_resolver_are_honoured()
    {
        var (_, bob, _) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("bob", ["flights_book"], ["hotels_book"]).WithTravelItem();
        using var attached = new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, bob).UseFunctionInvocation().Build();
        await attached.GetResponseAsync("book", new ChatOptions { Tools = _bodies.Scoped() });

        var model2 = new ScriptedChatClient("bob", ["hotels_book"]).WithTravelItem();
        using var resolved = new ChatClientBuilder(model2).UseAgentPassport(_f.Authorizer, bob, c => c.ScopeResolver = f => f.Name.Replace('_', ':')).UseFunctionInvocation().Build();
        await resolved.GetResponseAsync("book", new ChatOptions { Tools = [.. _bodies.Plain()] });

        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(2, _bodies.Runs("hotels_book"));
        Assert.Equal(["flights_book", "hotels_book"], model.OfferedTools[0]);
    }

    [Fact]
    public async Task Wrong_order_is_refused_and_no_tool_runs()
    {
        var (alice, _, _) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("alice", ["flights_book"]).WithTravelItem();
        using var client = new ChatClientBuilder(model).UseFunctionInvocation().UseAgentPassport(_f.Authorizer, alice).Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("book", new ChatOptions { Tools = _bodies.Scoped() }));

        Assert.Contains("before UseFunctionInvocation()", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _bodies.Total);
        Assert.Equal(0, model.Requests);
    }

    [Fact]
    public async Task Without_any_function_invocation_loop_tools_are_refused()
    {
        var (alice, _, _) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("alice", ["flights_book"]).WithTravelItem();
        using var client = new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, alice).Build();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("book", new ChatOptions { Tools = _bodies.Scoped() }));
        Assert.Equal(0, model.Requests);
    }

    [Fact]
    public async Task Unguarded_AdditionalTools_on_the_loop_are_refused()
    {
        var (alice, _, _) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("alice", ["hotels_book"]).WithTravelItem();
        using var client = new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, alice)
            .UseFunctionInvocation(configure: fic => fic.AdditionalTools = [.. _bodies.Plain()]).Build();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("book", new ChatOptions { Tools = _bodies.Scoped() }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("book"));   // no request tools: the loop's own are still refused
        Assert.Equal(0, _bodies.Total);
        Assert.Equal(0, model.Requests);
    }

    [Fact]
    public async Task Declaration_only_tools_are_never_offered()
    {
        var (alice, _, _) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("alice").WithTravelItem();
        using var client = Pipeline(model, alice);
        var declaration = AIFunctionFactory.CreateDeclaration("flights_book", "declared only", AIFunctionFactory.Create((string item) => item).JsonSchema);

        await client.GetResponseAsync("hi", new ChatOptions { Tools = [declaration, .. _bodies.Plain()] });

        Assert.Equal(["flights_book", "hotels_book", "payments_charge"], model.OfferedTools[0]);
    }

    [Fact]
    public async Task A_call_to_a_tool_that_was_not_offered_never_runs()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["hotels_book"]).WithTravelItem();   // not offered: the model calls it anyway
        using var client = Pipeline(model, carol);

        var response = await client.GetResponseAsync("book", new ChatOptions { Tools = [.. _bodies.Plain()] });

        // The loop has no such tool: it answers "not found" to the model, and nothing runs.
        Assert.Equal(0, _bodies.Total);
        Assert.Equal(["flights_book"], model.OfferedTools[0]);
        Assert.Contains(response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>(), r => r.CallId.EndsWith("hotels_book", StringComparison.Ordinal));
        Assert.Empty(_f.Decisions());
    }

    [Fact]
    public async Task Streaming_enforces_the_same_way()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["flights_book", "hotels_book"]).WithTravelItem();
        using var client = Pipeline(model, carol, advertise: false);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("book", new ChatOptions { Tools = [.. _bodies.Plain()] }))
        {
            updates.Add(update);
        }

        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(0, _bodies.Runs("hotels_book"));
        Assert.Equal(1, model.Requests);
        Assert.Single(updates.ToChatResponse().Messages.GetPassportDenials());
    }

    [Fact]
    public async Task An_expired_Passport_is_denied_even_after_a_cached_allow()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();   // Carol's Passport lives 2 minutes
        var model = new CallOnceModel("flights_book");
        using var client = new ChatClientBuilder(model).UseAgentPassport(_f.Authorizer, carol, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = _bodies.Scoped() };

        await client.GetResponseAsync("first", options);
        _f.Time.Advance(TimeSpan.FromMinutes(3));
        var response = await client.GetResponseAsync("second", options);

        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(PassportErrorKind.Expired, Assert.Single(response.Messages.GetPassportDenials()).Error.Kind);
    }

    [Fact]
    public async Task Tampered_Passport_is_denied()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var parts = carol.Token.Split('.');
        var tampered = new PassportContext($"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}", carol.ChainTokens);
        var model = new ScriptedChatClient("carol", ["flights_book"]).WithTravelItem();
        using var client = Pipeline(model, tampered, advertise: false);

        var response = await client.GetResponseAsync("book", new ChatOptions { Tools = [.. _bodies.Plain()] });

        Assert.Equal(0, _bodies.Total);
        Assert.Equal(PassportErrorKind.InvalidSignature, Assert.Single(response.Messages.GetPassportDenials()).Error.Kind);
    }

    [Fact]
    public async Task Dependency_injection_AddChatClient_UseAgentPassport_resolves_the_authorizer_and_Passport()
    {
        var (_, _, carol) = await _f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["flights_book", "payments_charge"]).WithTravelItem();
        var services = new ServiceCollection();
        services.AddSingleton(_f.Authorizer);
        services.AddSingleton(carol);
        services.AddChatClient(model).UseAgentPassport(configure: c =>
        {
            c.ScopeResolver = f => f.Name.Replace('_', ':');
            c.AdvertiseAllowedToolsOnly = false;
        }).UseFunctionInvocation();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();

        await client.GetResponseAsync("book", new ChatOptions { Tools = [.. _bodies.Plain()] });

        Assert.Same(carol, client.GetService<PassportContext>());
        Assert.Equal(1, _bodies.Runs("flights_book"));
        Assert.Equal(0, _bodies.Runs("payments_charge"));
        Assert.Equal(["agent:carol allowed flights:book", "agent:carol denied payments:charge"], _f.Decisions());
    }

    [Fact]
    public void Without_an_authorizer_the_pipeline_does_not_build()
    {
        var services = new ServiceCollection();
        services.AddChatClient(new ScriptedChatClient("x").WithTravelItem()).UseAgentPassport().UseFunctionInvocation();
        using var provider = services.BuildServiceProvider();

        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());
    }

    [Fact]
    public void A_pattern_or_malformed_mapped_scope_fails_at_build_time()
    {
        Assert.Throws<ArgumentException>(() => new ChatClientBuilder(new ScriptedChatClient("x").WithTravelItem()).UseAgentPassport(_f.Authorizer, configure: c => c.ToolScopes["flights_book"] = "flights:*").UseFunctionInvocation().Build());
        Assert.Throws<ArgumentException>(() => new ChatClientBuilder(new ScriptedChatClient("x").WithTravelItem()).UseAgentPassport(_f.Authorizer, configure: c => c.ToolScopes["flights_book"] = "not a scope").UseFunctionInvocation().Build());
        Assert.Throws<ArgumentException>(() => _bodies.Plain()[0].WithPassportScope("flights:*"));
    }

    [Fact]
    public async Task Details_are_shown_to_the_model_only_when_opted_in()
    {
        using var f = new PassportFixture(includeDetailedDenials: true);
        var (_, _, carol) = await f.AliceBobCarolAsync();
        var model = new ScriptedChatClient("carol", ["hotels_book"]).WithTravelItem();
        using var client = new ChatClientBuilder(model).UseAgentPassport(f.Authorizer, carol, c => c.AdvertiseAllowedToolsOnly = false).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync("book", new ChatOptions { Tools = _bodies.Scoped() });

        Assert.Contains("ScopeViolation (AP", Assert.Single(response.Messages.GetPassportDenials()).Message, StringComparison.Ordinal);
    }
}
