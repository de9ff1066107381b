using Microsoft.SemanticKernel;
using FunctionInvocationContext = Microsoft.SemanticKernel.FunctionInvocationContext;

namespace AgentPassport.SemanticKernel;

/// <summary>
/// The Semantic Kernel filter that checks every function call against the Passport the kernel carries
/// (<see cref="PassportKernelExtensions.GetPassport"/>). Deny by default; one instance serves any number of kernels.
/// </summary>
/// <remarks>
/// A denied function body never runs: the result is a <see cref="PassportDenial"/> (also under
/// <see cref="DenialMetadataKey"/>), the decision is audited, and an auto-invocation loop is terminated; a denied direct
/// <c>InvokeStreamingAsync</c> throws <see cref="AgentPassportException"/> instead. A function whose scope cannot be
/// resolved (<see cref="PassportToolRequirementResolver"/>) is denied; only the application's own plugin-less prompt
/// passes. Which invocation paths run this filter: docs/semantic-kernel.md, "Every invocation path, and what enforces it".
/// </remarks>
public sealed class PassportFunctionInvocationFilter : IFunctionInvocationFilter, IAutoFunctionInvocationFilter
{
    /// <summary>The <see cref="FunctionResult.Metadata"/> key under which a denial's <see cref="PassportDenial"/> is stored.</summary>
    public const string DenialMetadataKey = "AgentPassport.Denial";

    private readonly ScopeRequirement _scopes;

    /// <summary>Initializes the filter.</summary>
    /// <param name="authorizer">The shared enforcement path.</param>
    /// <param name="toolScopes">Scopes by <c>"plugin.function"</c>, overriding attributes and defaults; values must be concrete scopes.</param>
    /// <exception cref="ArgumentException">A mapped scope is malformed or a pattern.</exception>
    public PassportFunctionInvocationFilter(PassportAuthorizer authorizer, IEnumerable<KeyValuePair<string, string>>? toolScopes = null)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        Authorizer = authorizer;
        _scopes = new ScopeRequirement(toolScopes);
    }

    /// <summary>Initializes the filter from the options (scope map, whether offered functions state their argument limits).</summary>
    /// <param name="authorizer">The shared enforcement path.</param>
    /// <param name="options">The options; values of the scope map must be concrete scopes.</param>
    /// <exception cref="ArgumentException">A mapped scope is malformed or a pattern.</exception>
    public PassportFunctionInvocationFilter(PassportAuthorizer authorizer, PassportKernelOptions options)
        : this(authorizer, (options ?? throw new ArgumentNullException(nameof(options))).ToolScopes)
    {
        DescribeArgumentLimits = options.DescribeArgumentLimits;
    }

    /// <summary>
    /// Gets a value indicating whether the functions of kernels this filter guards state the argument limits of the kernel's
    /// Passport in their descriptions (<see cref="PassportKernelOptions.DescribeArgumentLimits"/>). Enforcement never depends on it.
    /// </summary>
    public bool DescribeArgumentLimits { get; }

    /// <summary>Gets the enforcement path this filter calls.</summary>
    public PassportAuthorizer Authorizer { get; }

    /// <summary>Gets the scope <paramref name="function"/> requires, or null when none resolves (its calls are denied).</summary>
    /// <param name="function">The function.</param>
    /// <returns>The concrete scope, or null.</returns>
    public string? GetRequiredScope(KernelFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return _scopes.Resolve(function);
    }

    /// <summary>Gets the scope mapped to a tool name in the options map (for functions that are not kernel functions), or null.</summary>
    /// <param name="toolName">The tool's name.</param>
    /// <returns>The mapped scope, or null (its calls are denied).</returns>
    public string? GetRequiredScope(string toolName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        return _scopes.ResolveName(toolName);
    }

    /// <summary>Gets the one-order resolver over this filter's scope map, for tools that are not kernel functions.</summary>
    public PassportToolRequirementResolver Requirements => _scopes.Resolver;

    /// <inheritdoc />
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        // A self-guarded kernel function already decided this very call of the function it wraps: one decision per attempt.
        if (PassportKernelCallTicket.TryTakePreDecided(context.Function, context.Arguments))
        {
            await next(context);
            return;
        }

        if (ScopeRequirement.IsTopLevelPrompt(context.Function) && !IsCurrentToolCall(context.Function))
        {
            await next(context);
            return;
        }

        var arguments = KernelArgumentReader.Read(context.Function, context.Arguments);
        var decision = await AuthorizeAsync(context.Kernel, context.Function, arguments, context.CancellationToken);
        if (decision.IsAllowed)
        {
            // The self-guarded body this reaches runs without deciding again, if its arguments are still these.
            if (context.IsStreaming)
            {
                PassportKernelCallTicket.AllowedStreaming(context.Function, context.Arguments, context.Kernel, arguments);
            }

            using (PassportKernelCallTicket.Allowed(context.Function, context.Arguments, arguments))
            {
                await next(context);
            }

            return;
        }

        // Not calling next: the function body never runs. A direct InvokeStreamingAsync<T> expects a stream of T in the
        // result, which a denial cannot be (Semantic Kernel would throw InvalidCastException): the caller gets the typed error.
        if (context.IsStreaming)
        {
            throw new AgentPassportException(decision.Error);
        }

        // Inside a Microsoft.Extensions.AI loop (AsAIFunction(kernel)), stop it here, as the auto-invocation filter does for
        // Semantic Kernel's own loop.
        if (Microsoft.Extensions.AI.FunctionInvokingChatClient.CurrentContext is { } loop)
        {
            loop.Terminate = true;
        }

        context.Result = Deny(context.Function, context.Kernel, decision);
    }

    /// <inheritdoc />
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        // A model-chosen call is a tool call even for a function without a plugin (FunctionChoiceBehavior.Auto([fn])):
        // the function filter would take such a function for the application's own prompt, so it is checked here.
        if (ScopeRequirement.IsTopLevelPrompt(context.Function))
        {
            // The Microsoft.Extensions.AI view of the arguments: Semantic Kernel's own throws when they are not KernelArguments.
            var arguments = KernelArgumentReader.Read(context.Function, ((Microsoft.Extensions.AI.FunctionInvocationContext)context).Arguments);
            var decision = await AuthorizeAsync(context.Kernel, context.Function, arguments, context.CancellationToken);
            if (!decision.IsAllowed)
            {
                context.Result = Deny(context.Function, context.Kernel, decision);
                context.Terminate = true;
                return;
            }
        }

        await next(context);

        // Throwing would not stop the loop (the model would just see "Error: Function failed."); terminating does.
        if (context.Result.GetPassportDenial() is not null)
        {
            context.Terminate = true;
        }
    }

    /// <summary>
    /// Decides a call of <paramref name="function"/> for the Passport <paramref name="kernel"/> carries, outside the filter
    /// pipeline (a self-guarded function invoked where no filter ran): null when allowed, else the denial result (and a
    /// surrounding Microsoft.Extensions.AI loop is stopped).
    /// </summary>
    internal async ValueTask<FunctionResult?> DenyAsync(Kernel kernel, KernelFunction function, PassportToolArguments arguments, CancellationToken cancellationToken)
    {
        var decision = await AuthorizeAsync(kernel, function, arguments, cancellationToken);
        if (decision.IsAllowed)
        {
            return null;
        }

        if (Microsoft.Extensions.AI.FunctionInvokingChatClient.CurrentContext is { } loop)
        {
            loop.Terminate = true;
        }

        return Deny(function, kernel, decision);
    }

    private ValueTask<PassportDecision> AuthorizeAsync(Kernel kernel, KernelFunction function, PassportToolArguments arguments, CancellationToken cancellationToken)
    {
        var resolved = _scopes.For(function);
        return Authorizer.AuthorizeAsync(kernel.GetPassport(), resolved.ToolName, resolved.Scope, arguments, cancellationToken);
    }

    private FunctionResult Deny(KernelFunction function, Kernel kernel, PassportDecision decision)
    {
        var denial = new PassportDenial(decision, Authorizer.IncludeDetailedDenials);
        return new FunctionResult(function, denial, kernel.Culture, new Dictionary<string, object?> { [DenialMetadataKey] = denial });
    }

    // True when a Microsoft.Extensions.AI loop is invoking this very function as a tool (AsAIFunction(kernel)), as opposed
    // to the application's prompt running inside some other tool's body.
    private static bool IsCurrentToolCall(KernelFunction function) =>
        Microsoft.Extensions.AI.FunctionInvokingChatClient.CurrentContext is { } loop
        && (ReferenceEquals(loop.Function, function) || string.Equals(loop.Function.Name, function.Name, StringComparison.Ordinal));
}
