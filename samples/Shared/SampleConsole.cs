using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentPassport.Samples;

/// <summary>Prints the samples' annotated sections (framed by 72 '=' like the Python reference's examples).</summary>
internal static class SampleConsole
{
    private static readonly string Rule = new('=', 72);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Starts a section.</summary>
    public static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine(Rule);
        Console.WriteLine(title);
        Console.WriteLine(Rule);
    }

    /// <summary>Prints one labelled value, aligned.</summary>
    public static void Field(string label, object? value) => Console.WriteLine($"  {label + ":",-14} {value}");

    /// <summary>Prints an explanatory note.</summary>
    public static void Note(string text) => Console.WriteLine($"  # {text}");

    /// <summary>Prints JSON indented by two spaces.</summary>
    public static void Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (string line in JsonSerializer.Serialize(doc.RootElement, Indented).Split('\n'))
        {
            Console.WriteLine("  " + line.TrimEnd('\r'));
        }
    }

    /// <summary>Decodes the payload of a compact JWS for display. It never prints the token itself.</summary>
    public static string Payload(string compactJws) =>
        System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(compactJws.Split('.')[1]));

    /// <summary>Formats a list JSON-style, like every output of the library and the CLI: ["a", "b"].</summary>
    public static string List(IEnumerable<string> items) => JsonSerializer.Serialize(items.ToArray(), Compact).Replace("\",\"", "\", \"", StringComparison.Ordinal);

    /// <summary>Formats an instant as ISO 8601 in UTC with Z, like the library's messages.</summary>
    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Ends the sample.</summary>
    public static void Done()
    {
        Section("Done.");
    }
}
