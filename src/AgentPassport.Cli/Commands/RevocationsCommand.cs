using System.CommandLine;
using System.Text.Json;

namespace AgentPassport.Cli;

/// <summary><c>revocations list</c>: the live entries of the store of <c>AGENT_PASSPORT_REVOCATION</c>, as text or JSON.</summary>
internal static class RevocationsCommand
{
    public static Command Create(CliEnvironment env)
    {
        var format = CliOptions.Choice("--format", "Output format", "text", "json");
        var list = new Command("list", "List the revocations in force (expired entries are dropped).") { format };
        list.SetAction(async (parse, ct) =>
        {
            var revocations = await CliRevocations.OpenAsync(env, ct).ConfigureAwait(false);
            await using var disposeRevocations = revocations.ConfigureAwait(false);
            if (!revocations.Store.TryGetCurrent(out var set, out var reason))
            {
                throw new CliFailure($"error: RevocationUnavailable: {reason}");
            }

            var now = TimeProvider.System.GetUtcNow();
            var entries = set.Entries.Where(e => e.ExpiresAt >= now).OrderBy(e => e.Kind).ThenBy(e => e.Value, StringComparer.Ordinal).ToList();
            Console.Out.WriteLine(parse.GetValue(format) == "json" ? Json(entries) : Text(entries, revocations.Description));
            return ExitCodes.Success;
        });
        return new Command("revocations", "Inspect the revocation store.") { list };
    }

    public static string Describe(RevocationEntry e) => e.Kind switch
    {
        RevocationEntryKind.TokenId => $"jti {e.Value} (and its descendants) until {CliTime.Format(e.ExpiresAt)}",
        RevocationEntryKind.Subject => $"principal {e.Value}: Passports issued before {CliTime.Format(e.Before!.Value)}",
        _ => $"agent {e.Value}: Passports issued before {CliTime.Format(e.Before!.Value)}",
    };

    private static string Text(List<RevocationEntry> entries, string where) => entries.Count == 0
        ? $"no revocations in {where}"
        : string.Join('\n', entries.Select(Describe));

    private static string Json(List<RevocationEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var e in entries)
            {
                w.WriteStartObject();
                w.WriteString("kind", e.Kind switch { RevocationEntryKind.TokenId => "jti", RevocationEntryKind.Subject => "sub", _ => "agent" });
                w.WriteString("value", e.Value);
                if (e.Before is { } before)
                {
                    w.WriteString("before", CliTime.Format(before));
                }

                w.WriteString("expires", CliTime.Format(e.ExpiresAt));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
