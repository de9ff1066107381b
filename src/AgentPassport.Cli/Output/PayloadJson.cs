using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace AgentPassport.Cli;

/// <summary>Pretty-prints the payload of a token that already decoded strictly (<see cref="PassportReader.DecodeUnverified"/>).</summary>
internal static class PayloadJson
{
    public static string Write(IEnumerable<string> tokens)
    {
        var list = tokens.ToList();
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            if (list.Count > 1)
            {
                w.WriteStartArray();
            }

            foreach (string token in list)
            {
                string payload = token.Split('.')[1];
                using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
                doc.RootElement.WriteTo(w);
            }

            if (list.Count > 1)
            {
                w.WriteEndArray();
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
