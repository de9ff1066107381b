using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary><c>where</c>: prints the data directory, creating it owner-only.</summary>
internal static class WhereCommand
{
    public static Command Create()
    {
        var command = new Command("where", "Print the data directory (ID token, issuer keys), creating it with mode 0700.");
        command.SetAction(_ =>
        {
            Console.Out.WriteLine(DataDirectory.Ensure());
            return ExitCodes.Success;
        });
        return command;
    }
}
