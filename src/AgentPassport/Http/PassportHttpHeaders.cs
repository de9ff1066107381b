namespace AgentPassport;

/// <summary>The HTTP headers of the wire contract (spec v1.1 §15).</summary>
public static class PassportHttpHeaders
{
    /// <summary>The leaf Passport (compact).</summary>
    public const string Passport = "Agent-Passport";

    /// <summary>The parents' compact tokens, root first, comma-separated; absent for a root Passport.</summary>
    public const string Chain = "Agent-Passport-Chain";

    /// <summary>The proof of possession for this request (holder-bound Passports).</summary>
    public const string Proof = "Agent-Passport-Proof";
}
