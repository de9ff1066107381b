using System.Text.Json;

namespace AgentPassport.Cli;

/// <summary>Reads <c>--args JSON</c>: the call's arguments as one JSON object, which a proof's <c>args</c> hashes (RFC 8785).</summary>
internal static class ToolArgumentsInput
{
    private const int MaxChars = 256 * 1024;

    /// <summary>The arguments, or null when <paramref name="json"/> is null.</summary>
    public static PassportToolArguments? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        if (json.Length > MaxChars)
        {
            throw new UsageException($"--args is over {MaxChars / 1024} KiB.");
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException("--args must be a JSON object of the call's arguments, e.g. '{\"route\":\"SFO-JFK\"}'.");
            }

            var arguments = PassportToolArguments.FromJsonObject(document.RootElement);
            return PassportProof.HashArguments(arguments) is null
                ? throw new UsageException("--args has no canonical JSON form (a name given twice, or a number beyond I-JSON), so no proof can bind it.")
                : arguments;
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--args is not valid JSON: {ex.Message}");
        }
    }
}
