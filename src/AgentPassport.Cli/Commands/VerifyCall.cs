using System.Text.Json;

namespace AgentPassport.Cli;

/// <summary>
/// <c>verify --op SCOPE --args JSON</c>: after the Passport verifies, checks one call by the rule every adapter's
/// enforcement applies (<see cref="PassportAuthorizer.CheckCall"/>): some capability covers the scope and the arguments
/// satisfy all its constraints. The refused value is shown (the CLI user typed it).
/// </summary>
internal static class VerifyCall
{
    private const int MaxChars = 256 * 1024;

    /// <summary>The call to check, or null without <c>--op</c>; <c>--args</c> without <c>--op</c> is a usage error.</summary>
    public static (string Scope, PassportToolArguments Arguments)? Read(string? op, string? args)
    {
        if (op is null)
        {
            return args is null ? null : throw new UsageException("--args needs --op (the tool's required scope).");
        }

        if (args is null)
        {
            return (op.Trim(), PassportToolArguments.Empty);
        }

        if (args.Length > MaxChars)
        {
            throw new UsageException($"--args is over {MaxChars / 1024} KiB.");
        }

        try
        {
            using var document = JsonDocument.Parse(args, new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (op.Trim(), PassportToolArguments.FromJsonObject(document.RootElement))
                : throw new UsageException("--args must be a JSON object of the call's arguments, e.g. '{\"amount\":450}'.");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--args is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>Refuses the call (exit 1, the error named) when the verified Passport does not allow it.</summary>
    public static void Check(VerifiedPassport passport, (string Scope, PassportToolArguments Arguments)? call)
    {
        if (call is { } c && PassportAuthorizer.CheckCall(passport, c.Scope, c.Arguments, includeValue: true) is { } error)
        {
            throw new CliFailure("call refused: " + ErrorText.Describe(error));
        }
    }
}
