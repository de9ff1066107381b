using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// Telling the model the argument limits of its Passport (spec v1.1 §13), so it does not waste calls it cannot make: the
/// advertised description of a tool gets the constraints of the capabilities that cover the tool's scope appended. A
/// courtesy only: enforcement never depends on it (the guard checks every call's arguments either way). Shared as source
/// with the Semantic Kernel adapter (one text on every path). The text is inert data: an argument name that is not a plain
/// identifier is quoted (<see cref="InertText.Quote"/>), and a constraint is its compact JSON (strings quoted), with any
/// character that could break a line or hide text escaped as JSON escapes — a hostile name or value cannot read as an instruction.
/// </summary>
internal static class PassportArgumentLimits
{
    private static readonly JsonWriterOptions AsciiOnly = new() { Encoder = JavaScriptEncoder.Default };

    /// <summary>Gets the text stating the limits on calls requiring <paramref name="scope"/>, or null when some covering capability has none.</summary>
    public static string? Describe(Passport passport, string? scope)
    {
        if (scope is null || passport.Constraints.IsEmpty || !PassportToolRequirement.TryParse(scope, out var requirement, out _))
        {
            return null;
        }

        var capabilities = new List<string>();
        foreach (var entry in passport.ToolScope)
        {
            if (!entry.Covers(requirement.Scope))
            {
                continue;
            }

            var constraints = passport.Constraints.For(entry.Value);
            if (constraints.Count == 0)
            {
                return null;   // this capability allows any arguments: nothing to tell
            }

            capabilities.Add(string.Join(", ", constraints.Select(c => $"{Name(c.Key)} {Inert(c.Value)}")));
        }

        return capabilities.Count == 0 ? null : "Argument limits: " + string.Join(" or ", capabilities) + ".";
    }

    /// <summary>Appends <paramref name="limits"/> to a tool's <paramref name="description"/>.</summary>
    public static string Append(string? description, string limits) =>
        string.IsNullOrWhiteSpace(description) ? limits : $"{description} {limits}";

    // A plain identifier as it is (amount, dest_code); anything else in quotes, escaped.
    private static string Name(string argument) =>
        argument.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? argument : InertText.Quote(argument);

    // The compact JSON escapes quotes, backslashes and control characters but keeps other characters that can hide text
    // (bidirectional overrides, zero-width and line separators): then it is written again with every non-ASCII character
    // escaped, still valid JSON with the same meaning, so a value stays inside its quotes.
    private static string Inert(PassportConstraint constraint)
    {
        var json = constraint.ToString();
        if (!InertText.HasControlCharacters(json))
        {
            return json;
        }

        var buffer = new ArrayBufferWriter<byte>(json.Length * 2);
        using (var writer = new Utf8JsonWriter(buffer, AsciiOnly))
        {
            constraint.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Returns <paramref name="tool"/> advertised with <paramref name="limits"/> appended to its description.</summary>
    public static AIFunction Advertise(AIFunction tool, string? limits) => limits is null ? tool : new Described(tool, limits);

    private sealed class Described(AIFunction inner, string limits) : DelegatingAIFunction(inner)
    {
        public override string Description => Append(InnerFunction.Description, limits);
    }
}
