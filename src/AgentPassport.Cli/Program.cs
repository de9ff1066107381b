using AgentPassport.Cli;

return await CliApplication.RunAsync(args).ConfigureAwait(false);
