using System.CommandLine;
using System.Globalization;
using System.Text;

namespace AgentPassport.Cli;

/// <summary><c>audit verify | tree | tail | export | jwks</c>: check, draw and read audit logs (spec v1.1 §14).</summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Verify, draw and read tamper-evident audit logs.")
    {
        Verify(), Tree(), Tail(), Export(), JwksCommand(),
    };

    private static Option<string> Log() => CliOptions.RequiredText("--log", "The audit log (a SQLite file, or a .jsonl export).");

    private static Option<string?> Key() => CliOptions.OptionalText("--key", "The log key's JWKS (from 'audit jwks'); without it the key the log carries is used, which does not detect a wholly re-signed log.");

    private static Command Verify()
    {
        var log = Log();
        var key = Key();
        var requireSealed = new Option<bool>("--sealed") { Description = "Require the writer's closing checkpoint (a finished run): a cut tail is then reported." };
        var command = new Command("verify", "Recompute the log's hash chain and check its checkpoints; name the first bad record.") { log, key, requireSealed };
        command.SetAction(async (parse, ct) =>
        {
            var records = await CliAuditLog.ReadAsync(parse.GetValue(log)!, ct).ConfigureAwait(false);
            var keys = await CliAuditLog.ReadKeysAsync(parse.GetValue(key), ct).ConfigureAwait(false);
            var result = PassportAuditLogVerifier.Verify(records, new() { Keys = keys, RequireSealed = parse.GetValue(requireSealed) });
            if (!result.IsIntact || result.Fault == PassportAuditLogFault.TruncatedTail)
            {
                throw new CliFailure($"TAMPERED: {result.Fault} at seq {result.FirstBadSeq}: {result.Message}");
            }

            Console.Out.WriteLine(result.Message);
            Console.Out.WriteLine(result.KeyId is null
                ? "checkpoints: none"
                : $"checkpoints signed by {result.KeyId}{(result.KeyPinned ? " (the given key)" : " (the key the log carries: pass --key to pin it)")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Tree()
    {
        var logs = new Option<string[]>("--log") { Description = "An audit log; repeat for the logs of several processes.", Required = true, Arity = ArgumentArity.OneOrMore };
        var key = Key();
        var root = CliOptions.OptionalText("--root", "Only the subtree under this Passport jti.");
        var format = CliOptions.Choice("--format", "Output format", "text", "json", "mermaid");
        var command = new Command("tree", "Verify the logs and draw the delegation tree they record, joined by jti / parent_jti.") { logs, key, root, format };
        command.SetAction(async (parse, ct) =>
        {
            var keys = await CliAuditLog.ReadKeysAsync(parse.GetValue(key), ct).ConfigureAwait(false);
            var verified = new List<PassportAuditLogVerification>();
            foreach (var path in parse.GetValue(logs)!)
            {
                var result = PassportAuditLogVerifier.Verify(await CliAuditLog.ReadAsync(path, ct).ConfigureAwait(false), new() { Keys = keys, KeepEvents = true });
                if (!result.IsIntact)
                {
                    throw new CliFailure($"TAMPERED: {path}: {result.Fault} at seq {result.FirstBadSeq}: {result.Message}");
                }

                verified.Add(result);
            }

            var tree = DelegationTree.Build(verified);
            if (parse.GetValue(root) is { } jti)
            {
                tree = tree.Subtree(jti) ?? throw new CliFailure($"no Passport with jti {InertText.Quote(jti)} was minted in these logs");
            }

            Console.Out.Write(parse.GetValue(format) switch
            {
                "json" => tree.ToJson(),
                "mermaid" => tree.ToMermaid(),
                _ => tree.ToText(),
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Tail()
    {
        var log = Log();
        var count = CliOptions.IntInRange("-n", 1, 100_000, 20, "How many records (1..100000, default 20).");
        var command = new Command("tail", "Print the last records, one line each (not verified: run 'audit verify' for that).") { log, count };
        command.SetAction(async (parse, ct) =>
        {
            var records = await CliAuditLog.ReadAsync(parse.GetValue(log)!, ct).ConfigureAwait(false);
            foreach (var record in records.TakeLast(parse.GetValue(count)))
            {
                Console.Out.WriteLine(Line(record));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Export()
    {
        var log = Log();
        var format = CliOptions.Choice("--format", "Output format", "jsonl");
        var command = new Command("export", "Print every record as stored, one canonical JSON object per line ('audit verify' checks the export too).") { log, format };
        command.SetAction(async (parse, ct) =>
        {
            foreach (var record in await CliAuditLog.ReadAsync(parse.GetValue(log)!, ct).ConfigureAwait(false))
            {
                // A record is canonical JSON: control characters inside strings are escaped, so it is one line.
                Console.Out.WriteLine(InertText.Escape(Encoding.UTF8.GetString(record.Bytes.Span)));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command JwksCommand()
    {
        var command = new Command("jwks", "Print the public key of the logs this tool writes (--audit-log), for 'audit verify --key'.");
        command.SetAction(_ =>
        {
            using var key = CliAuditLog.OpenKey();
            Console.Out.WriteLine(Jwks.Export([key.PublicKey]));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Line(PassportAuditLogRecord record)
    {
        string seq = record.Seq.ToString(CultureInfo.InvariantCulture);
        if (record.IsCheckpoint())
        {
            return $"{seq} checkpoint";
        }

        if (record.ReadEvent() is not { } e)
        {
            return $"{seq} (not a record)";
        }

        var time = e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var what = e.Kind switch
        {
            PassportAuditEventKind.Minted => $"minted {InertText.Escape(e.TokenId)}" + (e.ParentTokenId is null ? "" : $" from {InertText.Escape(e.ParentTokenId)}"),
            PassportAuditEventKind.Revoked => $"revoked {InertText.Escape(e.TokenId ?? e.Principal ?? e.AgentId)}",
            _ => $"{e.Kind.ToString().ToLowerInvariant()} {InertText.Escape(e.ToolName)}" + (e.ErrorKind is { } k ? $": {k}" : ""),
        };
        return $"{seq} {time} {InertText.Escape(e.AgentId ?? "?")} {what}";
    }
}
