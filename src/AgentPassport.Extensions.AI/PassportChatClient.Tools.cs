using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <content>Guarding a request's tools: the offered tools (allowed ones only, each guarded for the request's agent), tools that reach the loop another way, and the Passport kept out of the options sent on.</content>
public sealed partial class PassportChatClient
{
    // A tool that reached the loop without passing through this client's options (added by a layer between this client and
    // the loop): guarded for the request's agent unless it already is; without a Passport, it is denied.
    private AIFunction GuardAtLoop(AIFunction function, PassportContext? context, PassportToolScopeResolver resolver)
    {
        if (context is null)
        {
            return function.GetService<PassportUnboundAIFunction>() is not null
                ? function
                : new PassportUnboundAIFunction(function, _authorizer, resolver.Resolve(function) ?? PassportToolGuards.FindGuard(function)?.RequiredScope, TerminateOnDenial);
        }

        if (PassportToolGuards.IsGuardedFor(function, context))
        {
            return function;
        }

        var existing = PassportToolGuards.FindGuard(function);
        return new PassportGuardedAIFunction(function, _authorizer, context, resolver.Resolve(function) ?? existing?.RequiredScope, existing?.ToolName) { TerminateOnDenial = TerminateOnDenial };
    }

    private async ValueTask<ChatOptions> GuardToolsAsync(ChatOptions options, PassportContext? context, PassportToolScopeResolver resolver, CancellationToken cancellationToken)
    {
        VerifiedPassport? verified = null;
        if (context is not null && (AdvertiseAllowedToolsOnly || DescribeArgumentLimits))
        {
            var result = await _authorizer.ValidateAsync(context, cancellationToken);
            verified = result.Succeeded ? result.Passport : null;
        }

        var offered = new List<AITool>(options.Tools!.Count);
        foreach (var tool in options.Tools)
        {
            if (tool is not AIFunction function)
            {
                if (OfferDeclarationOnlyTools && tool is AIFunctionDeclaration)
                {
                    offered.Add(tool);
                }

                continue;
            }

            // A tool carrying another agent's guard is guarded again for this agent: this guard decides, and the inner one
            // is re-bound to the executing agent for the call (it does not decide a second time).
            var existing = PassportToolGuards.FindGuard(function);
            var scope = resolver.Resolve(function) ?? existing?.RequiredScope;
            if (AdvertiseAllowedToolsOnly && (verified is null || !PassportAuthorizer.Covers(verified, scope)))
            {
                continue;
            }

            if (PassportToolGuards.IsGuardedFor(function, context))
            {
                // Already guarded for this very agent (possibly inside an approval wrapper): one guard, one decision.
                offered.Add(function);
                continue;
            }

            AIFunction guarded = context is null
                ? new PassportUnboundAIFunction(function, _authorizer, scope, TerminateOnDenial)
                : new PassportGuardedAIFunction(function, _authorizer, context, scope, existing?.ToolName) { TerminateOnDenial = TerminateOnDenial };
            offered.Add(DescribeArgumentLimits && verified is not null ? PassportArgumentLimits.Advertise(guarded, PassportArgumentLimits.Describe(verified.Passport, scope)) : guarded);
        }

        var copy = WithoutPassport(options.Clone());
        copy.Tools = offered;
        if (offered.Count == 0)
        {
            copy.ToolMode = null;
        }

        return copy;
    }

    // The request's Passport stops here: some providers send AdditionalProperties to the service, and a token must never leave.
    private static ChatOptions WithoutPassport(ChatOptions copy)
    {
        if (copy.AdditionalProperties is { } properties && properties.ContainsKey(PassportChatOptionsExtensions.ContextPropertyName))
        {
            var rest = new AdditionalPropertiesDictionary(properties);
            rest.Remove(PassportChatOptionsExtensions.ContextPropertyName);
            copy.AdditionalProperties = rest.Count == 0 ? null : rest;
        }

        return copy;
    }
}
