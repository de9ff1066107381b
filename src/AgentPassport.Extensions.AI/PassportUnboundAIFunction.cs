using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// A tool offered by a <see cref="PassportChatClient"/> on a request without a Passport: every call goes through the same
/// gate as <see cref="PassportGuardedAIFunction"/> with no context, so it is denied (<see cref="PassportErrorKind.NoPassport"/>),
/// audited and never runs — unless an outer guard of the executing agent already decided the call.
/// </summary>
internal sealed class PassportUnboundAIFunction(AIFunction innerFunction, PassportAuthorizer authorizer, string? requiredScope, bool terminateOnDenial)
    : DelegatingAIFunction(innerFunction)
{
    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        PassportToolGate.InvokeAsync(authorizer, context: null, Name, requiredScope, terminateOnDenial, loop: null, arguments, this, InnerFunction,
            static (s, ct) => s.Self.InnerInvokeAsync(s.Arguments, ct), (Self: this, Arguments: arguments), cancellationToken);

    private ValueTask<object?> InnerInvokeAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        base.InvokeCoreAsync(arguments, cancellationToken);
}
