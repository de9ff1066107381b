using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentPassport;

/// <summary>
/// The one enforcement path every adapter (Semantic Kernel filter, AIFunction guard, agent and MCP adapters) calls:
/// given an agent's <see cref="PassportContext"/> and a tool's required scope, it verifies the Passport and its chain
/// against the policy for the context's audience, checks the scope, records the decision, and returns it. Deny by default:
/// no context, no requirement, a malformed requirement or any verification failure is a denial. Thread-safe.
/// </summary>
/// <remarks>
/// Verification goes through the <see cref="PassportVerifier"/> given to the constructor; caching is that verifier's:
/// build it with a cache capacity (as <c>AddAgentPassport</c> does by default) and repeated calls skip
/// the signature work while the chain is inside its validity window and the resolver still returns the same keys
/// (spec §5). The audience, assurance, chain-shape and scope checks run on every call. Every decision is written to the audit sink, the log
/// and the <c>AgentPassport</c> meter before it is returned, so an allowed tool runs only after its allow is recorded.
/// </remarks>
public sealed partial class PassportAuthorizer
{
    private const int MaxCachedPolicies = 256;

    private readonly PassportVerifier _verifier;
    private readonly PassportAuditor _auditor;
    private readonly PassportProofVerifier _proofs;
    private readonly ConcurrentDictionary<string, VerificationPolicy> _policies = new(StringComparer.Ordinal);

    /// <summary>Initializes an authorizer.</summary>
    /// <param name="verifier">The verifier (it carries the trusted keys and the clock used for token times).</param>
    /// <param name="options">The base policy and settings; checked now.</param>
    /// <param name="auditSink">Where decisions and mints are recorded; a new <see cref="InMemoryPassportAuditSink"/> when null.</param>
    /// <param name="timeProvider">The clock for audit timestamps; use the verifier's. <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="InvalidOperationException">The verifier has no key set for an issuer the policy trusts.</exception>
    public PassportAuthorizer(PassportVerifier verifier, PassportAuthorizerOptions options, IPassportAuditSink? auditSink = null, TimeProvider? timeProvider = null, ILogger<PassportAuthorizer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(options);
        Policy = options.ValidatedPolicy();

        // Per-issuer trust is settled here, at setup: a verifier without a key set for each of the policy's issuers is refused.
        if (verifier.CannotServe(Policy) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        IncludeDetailedDenials = options.IncludeDetailedDenials;
        TimeProvider = timeProvider ?? TimeProvider.System;
        AuditSink = auditSink ?? new InMemoryPassportAuditSink();
        _verifier = verifier;
        _auditor = new PassportAuditor(AuditSink, (ILogger?)logger ?? NullLogger.Instance, TimeProvider);
        ReplayCache = options.ReplayCache ?? new InMemoryPassportReplayCache(timeProvider: TimeProvider);
        _proofs = new PassportProofVerifier(Policy, ReplayCache, TimeProvider);
        _policies[Policy.Audience] = Policy;
    }

    /// <summary>Gets the base policy; its audience is the default.</summary>
    public VerificationPolicy Policy { get; }

    /// <summary>Gets a value indicating whether denials shown to a model carry the error details.</summary>
    public bool IncludeDetailedDenials { get; }

    /// <summary>Gets the audit sink.</summary>
    public IPassportAuditSink AuditSink { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the replay cache used proofs of possession are recorded in.</summary>
    public IPassportReplayCache ReplayCache { get; }

    /// <summary>
    /// Decides whether the agent holding <paramref name="context"/> may call <paramref name="toolName"/>, which requires
    /// <paramref name="requiredScope"/>, with <paramref name="arguments"/>, and records the decision.
    /// </summary>
    /// <param name="context">The agent's Passport and chain; null is a denial.</param>
    /// <param name="toolName">The tool's name, for the audit record.</param>
    /// <param name="requiredScope">The concrete scope the tool requires; null (no resolvable requirement) or a pattern is a denial.</param>
    /// <param name="arguments">The call's arguments as the tool will receive them; null when the adapter cannot see them (then any check that needs them denies).</param>
    /// <param name="cancellationToken">Cancels a remote key lookup or the audit write.</param>
    /// <returns>The decision; a bad token never throws.</returns>
    public async ValueTask<PassportDecision> AuthorizeAsync(PassportContext? context, string toolName, string? requiredScope, PassportToolArguments? arguments = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        using var activity = PassportTelemetry.Source.StartActivity(PassportTelemetry.AuthorizeActivityName);
        activity?.SetTag(PassportTelemetry.ToolTag, toolName);
        activity?.SetTag(PassportTelemetry.RequiredScopeTag, requiredScope);

        var decision = await DecideAsync(context, toolName, requiredScope, arguments, cancellationToken).ConfigureAwait(false);

        if (activity is not null)
        {
            // Verified claims only: a denied token's claims are the caller's text and stay out of traces.
            var passport = decision.Passport?.Passport;
            activity.SetTag(PassportTelemetry.AgentIdTag, passport?.AgentId);
            activity.SetTag(PassportTelemetry.TokenIdTag, passport?.TokenId);
            activity.SetTag(PassportTelemetry.ParentTokenIdTag, passport?.ParentJti);
            activity.SetTag(PassportTelemetry.DecisionTag, decision.IsAllowed ? "allowed" : "denied");
            if (!decision.IsAllowed)
            {
                activity.SetTag(PassportTelemetry.ErrorCodeTag, decision.Error.Code);
                activity.SetTag(PassportTelemetry.ErrorKindTag, decision.Error.Name);
                activity.SetStatus(ActivityStatusCode.Error, decision.Error.Name);
            }
        }

        await _auditor.DecisionAsync(decision, context, cancellationToken).ConfigureAwait(false);
        return decision;
    }

    /// <summary>
    /// Verifies the context's Passport and chain against the policy for its audience, without a scope requirement and
    /// without an audit record (for tool advertising and delegation). Served from the verifier's cache when it has one.
    /// </summary>
    /// <param name="context">The agent's Passport and chain.</param>
    /// <param name="cancellationToken">Cancels a remote key lookup.</param>
    /// <returns>The verified Passport or the typed error.</returns>
    public ValueTask<PassportValidationResult> ValidateAsync(PassportContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _verifier.ValidateAsync(context.Token, PolicyFor(context.Audience), context.ChainTokens, cancellationToken);
    }

    /// <summary>Verifies a delegating agent's Passport and chain (see <see cref="PassportVerifier.ValidateDelegationParentAsync"/>) against the policy for its audience, without an audit record.</summary>
    internal ValueTask<PassportValidationResult> ValidateDelegationParentAsync(PassportContext parent, CancellationToken cancellationToken) =>
        _verifier.ValidateDelegationParentAsync(parent.Token, PolicyFor(parent.Audience), parent.ChainTokens, cancellationToken);

    private async ValueTask<PassportDecision> DecideAsync(PassportContext? context, string toolName, string? requiredScope, PassportToolArguments? arguments, CancellationToken cancellationToken)
    {
        if (context is null)
        {
            return PassportDecision.Deny(toolName, requiredScope, new PassportError(PassportErrorKind.NoPassport, "no Passport is attached to this agent"));
        }

        if (requiredScope is null)
        {
            return PassportDecision.Deny(toolName, null, new PassportError(PassportErrorKind.NoScopeRequirement, $"no scope requirement could be resolved for '{toolName}'"));
        }

        if (!PassportToolRequirement.TryParse(requiredScope, out var requirement, out var scopeError))
        {
            return PassportDecision.Deny(toolName, requiredScope, new PassportError(PassportErrorKind.NoScopeRequirement, $"the required scope is not a concrete scope: {scopeError}"));
        }

        var result = await ValidateAsync(context, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return PassportDecision.Deny(toolName, requiredScope, result.Error);
        }

        var verified = result.Passport;
        if (!requirement.IsGrantedBy(verified.Passport.ToolScope))
        {
            return PassportDecision.Deny(toolName, requiredScope, new PassportError(PassportErrorKind.ScopeViolation,
                $"scope '{requiredScope}' required; granted: [{string.Join(", ", verified.Passport.ToolScope.ToStrings())}]"), verified);
        }

        // Argument constraints (spec v1.1 §13) first, on the arguments the tool receives: a call outside them is refused
        // without signing or recording a proof. Then the holder's proof (§11).
        if (CheckConstraints(verified.Passport, requirement.Scope, arguments, IncludeDetailedDenials) is { } violation)
        {
            return PassportDecision.Deny(toolName, requiredScope, violation, verified);
        }

        var proof = await CheckProofAsync(context, verified, requiredScope, arguments, cancellationToken).ConfigureAwait(false);
        return proof.Succeeded
            ? PassportDecision.Allow(toolName, requiredScope, verified, proof)
            : PassportDecision.Deny(toolName, requiredScope, proof.Error, verified);
    }

    private VerificationPolicy PolicyFor(string? audience)
    {
        if (audience is null)
        {
            return Policy;
        }

        if (_policies.TryGetValue(audience, out var policy))
        {
            return policy;
        }

        policy = Policy.WithAudience(audience);
        if (_policies.Count >= MaxCachedPolicies)
        {
            // Bounded: past the limit the copy is rebuilt per call (the verifier's cache compares policies by value).
            return policy;
        }

        return _policies.GetOrAdd(audience, policy);
    }
}
