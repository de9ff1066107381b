using System.CommandLine;
using System.CommandLine.Help;

namespace AgentPassport.Cli;

/// <summary>
/// Builds the command tree and maps every outcome to an exit code: 0 success, 1 runtime failure, 2 usage or
/// configuration error. Expected failures print one line to stderr, never a stack trace.
/// </summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var env = CliEnvironment.Load();
            var root = new RootCommand("agent-passport: issue, delegate, verify and inspect Agent Passports.")
            {
                LoginCommand.Create(env),
                IssueCommand.Create(env),
                VerifyCommand.Create(env),
                InspectCommand.Create(),
                DelegateCommand.Create(env),
                WhereCommand.Create(),
                KeysCommand.Create(),
                ProveCommand.Create(),
                RevokeCommand.Create(env),
                RevocationsCommand.Create(env),
                AuditCommand.Create(),
            };
            root.SetAction(parse =>
            {
                // No command: show the help, as a usage error.
                new HelpAction().Invoke(parse);
                return ExitCodes.Usage;
            });

            // No response files: '@FILE' is a value (--constraints @FILE), never a list of arguments read from disk.
            var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
                }

                await Console.Error.WriteLineAsync($"Run 'agent-passport {parse.CommandResult.Command.Name} --help' for usage.".Replace("agent-passport agent-passport", "agent-passport", StringComparison.Ordinal)).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (CliFailure ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (AgentPassportException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ErrorText.Describe(ex.Error)).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The last resort: any other failure is one line on stderr, not a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
