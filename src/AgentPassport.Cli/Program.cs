// The command tree is built in the CLI issue; until then the tool only reports that it has no commands.
Console.Error.WriteLine("agent-passport: no commands yet");
return 2;
