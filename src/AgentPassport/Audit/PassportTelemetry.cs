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

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Allowed = Meter.CreateCounter<long>(AllowedCounterName, description: "Tool calls an Agent Passport allowed.");

    internal static readonly Counter<long> Denied = Meter.CreateCounter<long>(DeniedCounterName, description: "Tool calls and delegations an Agent Passport refused.");

    internal static readonly Counter<long> Minted = Meter.CreateCounter<long>(MintedCounterName, description: "Passports minted.");
}
