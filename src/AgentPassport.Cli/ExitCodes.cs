namespace AgentPassport.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>Verification, issuance or another runtime failure.</summary>
    public const int Failure = 1;

    /// <summary>A usage or configuration error.</summary>
    public const int Usage = 2;
}
