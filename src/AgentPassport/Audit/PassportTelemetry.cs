using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgentPassport;

/// <summary>The library's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>AgentPassport</c>.</summary>
public static class PassportTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "AgentPassport";

    /// <summary>The counter of allowed tool calls.</summary>
    public const string AllowedCounterName = "agent_passport.calls.allowed";

    /// <summary>The counter of denied tool calls and delegations.</summary>
    public const string DeniedCounterName = "agent_passport.calls.denied";

    /// <summary>The counter of minted Passports.</summary>
    public const string MintedCounterName = "agent_passport.passports.minted";

    /// <summary>The span of one authorization decision.</summary>
    public const string AuthorizeActivityName = "AgentPassport.Authorize";

    /// <summary>The span of one recorded mint (a root or a child Passport).</summary>
    public const string MintActivityName = "AgentPassport.Mint";

    /// <summary>Span attribute: the Passport's <c>jti</c>.</summary>
    public const string TokenIdTag = "agent_passport.jti";

    /// <summary>Span attribute: the parent Passport's <c>jti</c> (children only).</summary>
    public const string ParentTokenIdTag = "agent_passport.parent_jti";

    /// <summary>Span attribute: the holder agent's id.</summary>
    public const string AgentIdTag = "agent_passport.agent_id";

    /// <summary>Span attribute: <c>allowed</c> or <c>denied</c>.</summary>
    public const string DecisionTag = "agent_passport.decision";

    /// <summary>Span attribute: the tool's name (as the adapter gave it).</summary>
    public const string ToolTag = "agent_passport.tool";

    /// <summary>Span attribute: the scope the call required.</summary>
    public const string RequiredScopeTag = "agent_passport.required_scope";

    /// <summary>Span attribute: the error kind of a denial (a <see cref="PassportErrorKind"/> name).</summary>
    public const string ErrorKindTag = "agent_passport.error.kind";

    /// <summary>Span attribute: the stable error code of a denial (<c>APnnnn</c>).</summary>
    public const string ErrorCodeTag = "agent_passport.error";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Allowed = Meter.CreateCounter<long>(AllowedCounterName, description: "Tool calls an Agent Passport allowed.");

    internal static readonly Counter<long> Denied = Meter.CreateCounter<long>(DeniedCounterName, description: "Tool calls and delegations an Agent Passport refused.");

    internal static readonly Counter<long> Minted = Meter.CreateCounter<long>(MintedCounterName, description: "Passports minted.");
}
