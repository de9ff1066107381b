namespace DistributedSample;

/// <summary>What the three processes agree on: the tool server's audience, the ID-token client, the shared run directory's layout.</summary>
internal static class SampleSettings
{
    /// <summary>The audience of every Passport in the run: the MCP tool server.</summary>
    public const string FlightsMcp = "https://flights-mcp.example.com/";

    /// <summary>The client the mock OpenID provider mints ID tokens for, and the issuer accepts.</summary>
    public const string IdTokenClientId = "agent-passport-issuer";

    /// <summary>The line a service prints on stdout once it listens; the orchestrator waits for it.</summary>
    public const string ReadyPrefix = "READY ";

    /// <summary>Set to host:port to share the proof replay cache through Redis instead of each process's memory.</summary>
    public const string RedisVariable = "AGENT_PASSPORT_REDIS";

    /// <summary>The revocation file issuer and tool server share: a revocation at the issuer is seen by the tool server.</summary>
    public static string RevocationFile(string runDirectory) => Path.Combine(runDirectory, "revocations", "revocations.json");

    /// <summary>A service's SQLite audit log.</summary>
    public static string AuditLog(string runDirectory, string role) => Path.Combine(runDirectory, role + "-audit.db");

    /// <summary>The key that signs a service's audit-log checkpoints (owner-only PEM).</summary>
    public static string AuditKey(string runDirectory, string role) => Path.Combine(runDirectory, role + "-audit-key.pem");
}
