namespace AgentPassport.Cli;

/// <summary>A usage or configuration error (exit code 2). The message names the flag or variable at fault.</summary>
internal sealed class UsageException(string message) : Exception(message);
