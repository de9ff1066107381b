namespace AgentPassport.Cli;

/// <summary>A runtime failure already worded for the user (exit code 1), for example <c>verification failed: …</c>.</summary>
internal sealed class CliFailure(string message) : Exception(message);
