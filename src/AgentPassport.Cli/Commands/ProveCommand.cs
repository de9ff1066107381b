using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary>
/// <c>prove</c>: one <see cref="PassportProof.Create"/> call: a proof of possession of a holder-bound Passport for one
/// call (spec v1.1 §11), printed on stdout to send with the Passport (<c>Agent-Passport-Proof</c>).
/// </summary>
internal static class ProveCommand
{
    public static Command Create()
    {
        var token = CliOptions.Token("TOKEN", "The holder-bound Passport the proof accompanies (the leaf).");
        var key = CliOptions.RequiredText("--key", "The holder's private JWK file (from 'keys holder-new').");
        var aud = CliOptions.RequiredText("--aud", "The audience called: the Passport's aud (or the issuer URL, with --op delegate).");
        var op = CliOptions.RequiredText("--op", "What is done: the tool's required scope (e.g. flights:book), or 'delegate'.");
        var args = CliOptions.OptionalText("--args", "The call's arguments as a JSON object, to bind the proof to them.");

        var command = new Command("prove", "Print a proof of possession for one call with a holder-bound Passport (valid for the verifier's proof window, usable once).")
        {
            token, key, aud, op, args,
        };
        command.SetAction(parse =>
        {
            var arguments = ToolArgumentsInput.Parse(parse.GetValue(args));
            string passport = TokenInput.Read(parse.GetValue(token));
            using var holder = HolderKeyFiles.ReadPrivate(parse.GetValue(key)!, "--key");
            Console.Out.WriteLine(PassportProof.Create(holder, parse.GetValue(aud)!.Trim(), passport, parse.GetValue(op)!.Trim(), arguments));
            return ExitCodes.Success;
        });
        return command;
    }
}
