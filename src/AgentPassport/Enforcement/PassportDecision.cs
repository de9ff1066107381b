using System.Diagnostics.CodeAnalysis;

namespace AgentPassport;

/// <summary>
/// The outcome of authorizing one tool call: allowed with the verified Passport, or denied with the typed error.
/// Produced by <see cref="PassportAuthorizer.AuthorizeAsync"/>; every adapter (Semantic Kernel filter, AIFunction guard) acts on it.
/// </summary>
public sealed class PassportDecision
{
    private PassportDecision(string toolName, string? requiredScope, VerifiedPassport? passport, PassportError? error)
    {
        ToolName = toolName;
        RequiredScope = requiredScope;
        Passport = passport;
        Error = error;
    }

    /// <summary>Gets a value indicating whether the call may run.</summary>
    [MemberNotNullWhen(true, nameof(Passport))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsAllowed => Error is null;

    /// <summary>Gets the tool (function) the decision is about.</summary>
    public string ToolName { get; }

    /// <summary>Gets the scope the call required, or null when none could be resolved (always a denial).</summary>
    public string? RequiredScope { get; }

    /// <summary>
    /// Gets the verified Passport: always on an allow; on a denial only when the Passport verified but did not cover the scope.
    /// </summary>
    public VerifiedPassport? Passport { get; }

    /// <summary>Gets the <c>jti</c> of the proof of possession the call was allowed with, when its Passport is holder-bound.</summary>
    public string? ProofId { get; private init; }

    /// <summary>Gets the thumbprint of the holder key that signed that proof.</summary>
    public string? HolderThumbprint { get; private init; }

    /// <summary>Gets the typed error of a denial.</summary>
    public PassportError? Error { get; }

    /// <summary>
    /// Gets the short text a model reads for a denial: the tool, the scope it requires and, unless the Passport simply
    /// lacks that scope, the error kind (for example <c>Reason: Expired.</c> or <c>Reason: NoPassport.</c>).
    /// </summary>
    /// <param name="includeDetails">Whether to add the error code and message (opt-in: the message can reveal claims).</param>
    /// <returns>The text; for an allow, an empty string.</returns>
    public string ToModelText(bool includeDetails)
    {
        if (IsAllowed)
        {
            return string.Empty;
        }

        // The tool name may be the model's own text and the details a hostile token's: escaped, they stay on one line.
        var scope = RequiredScope is null ? "no scope requirement is defined for it" : $"it requires scope '{InertText.Escape(RequiredScope)}'";

        // The kind is always named (a model, and whoever reads its transcript, must not take an expired Passport or no
        // Passport at all for a missing scope); only the message, which can list granted scopes, is opt-in.
        var reason = Error.Kind == PassportErrorKind.ScopeViolation ? string.Empty : $" Reason: {Error.Name}.";
        return includeDetails
            ? $"DENIED by Agent Passport: '{InertText.Escape(ToolName)}' was not run; {scope}. {Error.Name} ({Error.Code}): {InertText.Escape(Error.Message)}"
            : $"DENIED by Agent Passport: '{InertText.Escape(ToolName)}' was not run; {scope}.{reason}";
    }

    /// <summary>Throws <see cref="AgentPassportException"/> with the error of a denial.</summary>
    /// <exception cref="AgentPassportException">The call was denied.</exception>
    public void ThrowIfDenied()
    {
        if (!IsAllowed)
        {
            throw new AgentPassportException(Error);
        }
    }

    /// <inheritdoc />
    public override string ToString() => IsAllowed
        ? $"Allowed {InertText.Escape(ToolName)} ({RequiredScope})"
        : $"Denied {InertText.Escape(ToolName)} ({InertText.Escape(RequiredScope ?? "no requirement")}): {Error.Name} {Error.Code}";

    internal static PassportDecision Allow(string toolName, string requiredScope, VerifiedPassport passport, PassportProofResult? proof = null) =>
        new(toolName, requiredScope, passport, null) { ProofId = proof?.ProofId, HolderThumbprint = proof?.Thumbprint };

    internal static PassportDecision Deny(string toolName, string? requiredScope, PassportError error, VerifiedPassport? passport = null) =>
        new(toolName, requiredScope, passport, error);
}
