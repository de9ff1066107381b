using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary><c>inspect</c>: decodes a Passport (and its chain) WITHOUT verifying it, as JSON, a tree or a Mermaid flowchart.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var token = CliOptions.Token("TOKEN", "The Passport to decode (not verified).");
        var tree = new Option<bool>("--tree") { Description = "Show the delegation tree (same as --format text)." };
        var format = CliOptions.Choice("--format", "Output: json (the claims; default), raw (the payload exactly as signed), text (the tree) or mermaid", "text", "json", "raw", "mermaid");
        var chain = CliOptions.Many("--chain", "A file with parent Passports, root first (repeatable), to draw the whole chain.", "FILE");

        var command = new Command("inspect", "Decode a Passport without verifying it (never base a decision on this output).")
        {
            token, tree, format, chain,
        };
        command.SetAction(parse =>
        {
            var parentTokens = ChainFiles.Read(parse.GetValue(chain));
            string leafToken = TokenInput.Read(parse.GetValue(token));
            var leaf = Decode(leafToken, "token");
            var parents = parentTokens.Select((t, i) => Decode(t, $"chain token {i + 1}")).ToList();
            if (parents.Count > 0 && parents.Count != leaf.Depth)
            {
                Console.Error.WriteLine($"note: the Passport is at depth {leaf.Depth} but --chain gave {parents.Count} parents; parent details are not shown.");
            }

            // Decoded, not verified: a Passport outside its lifetime is still shown, and marked.
            var now = TimeProvider.System.GetUtcNow();
            foreach (var p in parents.Append(leaf))
            {
                if (PassportTree.LifetimeWarning(p, now) is { } warning)
                {
                    Console.Error.WriteLine(warning);
                }
            }

            string output = (parse.GetValue(format) ?? (parse.GetValue(tree) ? "text" : "json")) switch
            {
                "text" => PassportTree.Write(leaf, parents, now),
                "mermaid" => PassportMermaid.Write(leaf, parents),
                "raw" => PayloadJson.Write([.. parentTokens, leafToken]),
                _ => ClaimsJson.Write([.. parents, leaf]),
            };
            Console.Out.Write(output.EndsWith('\n') ? output : output + "\n");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Passport Decode(string token, string what)
    {
        try
        {
            return PassportReader.DecodeUnverified(token);
        }
        catch (AgentPassportException ex)
        {
            throw new CliFailure($"could not decode {what}: {ErrorText.Describe(ex.Error)}");
        }
    }
}
