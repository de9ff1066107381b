using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// An <see cref="AIFunction"/> that runs only when the agent's Passport allows it: before each call it asks the shared
/// <see cref="PassportAuthorizer"/> (verify the Passport and chain, check <see cref="RequiredScope"/>, record the decision).
/// Denied: the inner function never runs, the call returns a <see cref="PassportDenial"/> (a short message for the model,
/// the typed decision for the application), and inside a <see cref="FunctionInvokingChatClient"/> loop the loop is
/// terminated. Works with any tool loop, which is why it exists: several loops run tools without Semantic Kernel's filters.
/// </summary>
/// <remarks>
/// <para>One guard is bound to one agent's <see cref="PassportContext"/> and decides for that agent only. When another
/// agent's adapter (its guard, its <see cref="PassportChatClient"/>, its Agent Framework middleware) wraps this guard, that
/// adapter decides for the agent that executes the call, and this guard does not decide a second time: it is re-bound to
/// the executing agent for that one call, never the other way round.</para>
/// <para>Modelled on <see cref="ApprovalRequiredAIFunction"/>; it changes nothing else about the inner function (name, schema).</para>
/// </remarks>
public sealed class PassportGuardedAIFunction : DelegatingAIFunction
{
    private readonly PassportAuthorizer _authorizer;

    /// <summary>Initializes a guard.</summary>
    /// <param name="innerFunction">The function to protect.</param>
    /// <param name="authorizer">The shared enforcement path.</param>
    /// <param name="context">The agent's Passport and chain.</param>
    /// <param name="requiredScope">The concrete scope a call requires; null means no requirement could be resolved, so every call is denied.</param>
    /// <param name="toolName">The tool's name in audit records; the function's name when null.</param>
    public PassportGuardedAIFunction(AIFunction innerFunction, PassportAuthorizer authorizer, PassportContext context, string? requiredScope, string? toolName = null)
        : base(innerFunction)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(context);
        _authorizer = authorizer;
        Context = context;
        RequiredScope = requiredScope;
        ToolName = string.IsNullOrWhiteSpace(toolName) ? innerFunction.Name : toolName;
    }

    /// <summary>Gets the tool's name in audit records.</summary>
    public string ToolName { get; }

    /// <summary>Gets the scope a call requires, or null (every call denied).</summary>
    public string? RequiredScope { get; }

    /// <summary>Gets the agent's Passport and chain this guard checks.</summary>
    public PassportContext Context { get; }

    /// <summary>Gets or sets a value indicating whether a denial terminates the surrounding <see cref="FunctionInvokingChatClient"/> loop.</summary>
    /// <value>Default true.</value>
    public bool TerminateOnDenial { get; set; } = true;

    /// <inheritdoc />
    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        PassportToolGate.InvokeAsync(_authorizer, Context, ToolName, RequiredScope, TerminateOnDenial, loop: null, arguments, this, InnerFunction,
            static (s, ct) => s.Self.InnerInvokeAsync(s.Arguments, ct), (Self: this, Arguments: arguments), cancellationToken);

    private ValueTask<object?> InnerInvokeAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        base.InvokeCoreAsync(arguments, cancellationToken);
}
