using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary>
/// <c>where</c>: prints the data directory, creating it owner-only. It is also where an ID token stored by the Python
/// reference CLI is migrated once; that is reported on stderr, so standard output stays the path alone.
/// </summary>
internal static class WhereCommand
{
    public static Command Create()
    {
        var command = new Command("where", "Print the data directory (ID token, issuer keys), creating it with mode 0700; migrates the Python reference CLI's ID token once.");
        command.SetAction(_ =>
        {
            string path = DataDirectory.Ensure();
            string? migrated = ReferenceIdTokenMigration.MigrateOnce();
            Console.Out.WriteLine(path);
            if (migrated is not null)
            {
                Console.Error.WriteLine(ReferenceIdTokenMigration.Describe(migrated));
            }
            else if (ReferenceIdTokenMigration.MigratedFrom() is { } earlier)
            {
                Console.Error.WriteLine($"the ID token was migrated once from the Python reference CLI ({earlier}).");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
