using System.CommandLine;

namespace AgentPassport.Cli;

/// <summary>
/// <c>revoke</c>: writes one revocation to the store of <c>AGENT_PASSPORT_REVOCATION</c>. A Passport (TOKEN or stdin) is
/// revoked by its <c>jti</c> until its <c>exp</c>, which stops every Passport delegated from it; <c>--jti</c> with
/// <c>--until</c> does the same without the token; <c>--sub</c> / <c>--agent</c> revoke every Passport of a principal or
/// agent issued before <c>--before</c> (default now).
/// </summary>
internal static class RevokeCommand
{
    public static Command Create(CliEnvironment env)
    {
        var token = CliOptions.Token("TOKEN", "The Passport to revoke (with every Passport delegated from it).");
        var jti = CliOptions.OptionalText("--jti", "Revoke this jti (needs --until, the Passport's exp).");
        var until = CliOptions.OptionalText("--until", "With --jti: the revoked Passport's exp (ISO 8601 or Unix seconds).");
        var sub = CliOptions.OptionalText("--sub", "Revoke every Passport of this principal issued before --before.");
        var agent = CliOptions.OptionalText("--agent", "Revoke every Passport held by this agent_id issued before --before.");
        var before = CliOptions.OptionalText("--before", "With --sub or --agent: the cut-off (ISO 8601 or Unix seconds; default now).");

        var command = new Command("revoke", "Revoke a Passport and its descendants, or every Passport of a principal or agent before a time.")
        {
            token, jti, until, sub, agent, before,
        };
        command.SetAction(async (parse, ct) =>
        {
            var entry = Entry(parse.GetValue(token), parse.GetValue(jti), parse.GetValue(until), parse.GetValue(sub), parse.GetValue(agent), parse.GetValue(before));
            DataDirectory.Ensure();
            var revocations = await CliRevocations.OpenAsync(env, ct).ConfigureAwait(false);
            await using var disposeRevocations = revocations.ConfigureAwait(false);
            await revocations.Store.RevokeAsync(entry, ct).ConfigureAwait(false);
            Console.Out.WriteLine($"revoked {RevocationsCommand.Describe(entry)} in {revocations.Description}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static RevocationEntry Entry(string? token, string? jti, string? until, string? sub, string? agent, string? before)
    {
        int modes = (jti is null ? 0 : 1) + (sub is null ? 0 : 1) + (agent is null ? 0 : 1);
        if (modes > 1 || (modes == 1 && token is not null))
        {
            throw new UsageException("Give one of: TOKEN (or stdin), --jti with --until, --sub, --agent.");
        }

        if (until is not null && jti is null)
        {
            throw new UsageException("--until goes with --jti.");
        }

        if (before is not null && sub is null && agent is null)
        {
            throw new UsageException("--before goes with --sub or --agent.");
        }

        try
        {
            if (jti is not null)
            {
                return RevocationEntry.ForToken(NonEmpty("--jti", jti), CliTime.Parse("--until", until ?? throw new UsageException("--jti needs --until (the Passport's exp), so the entry can expire.")));
            }

            var cutoff = before is null ? TimeProvider.System.GetUtcNow() : CliTime.Parse("--before", before);
            if (sub is not null)
            {
                return RevocationEntry.ForSubject(NonEmpty("--sub", sub), cutoff);
            }

            if (agent is not null)
            {
                return RevocationEntry.ForAgent(NonEmpty("--agent", agent), cutoff);
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new UsageException($"The value is longer than {RevocationEntry.MaxValueLength} characters.");
        }

        // The token is decoded, not verified: revoking only ever takes rights away, and an expired or foreign token may
        // still be worth stopping. Its exp bounds the entry.
        try
        {
            return RevocationEntry.ForPassport(PassportReader.DecodeUnverified(TokenInput.Read(token)));
        }
        catch (AgentPassportException ex)
        {
            throw new CliFailure("could not read the token to revoke: " + ErrorText.Describe(ex.Error));
        }
    }

    private static string NonEmpty(string option, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new UsageException($"{option} must not be empty.") : value.Trim();
}
