using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// A tool offered by a <see cref="PassportChatClient"/> on a request without a Passport: every call goes through the same
/// gate as <see cref="PassportGuardedAIFunction"/> with no context, so it is denied, audited and never runs.
/// </summary>
internal sealed class PassportUnboundAIFunction(AIFunction innerFunction, PassportAuthorizer authorizer, string? requiredScope, bool terminateOnDenial)
    : DelegatingAIFunction(innerFunction)
{
    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        PassportToolGate.InvokeAsync<object?>(authorizer, context: null, Name, requiredScope, terminateOnDenial, loop: null,
            static (_, _) => throw new InvalidOperationException("A call without a Passport is never run."), null, cancellationToken);
}
