using System.Text;
using System.Text.Json;

namespace AgentPassport.Cli;

/// <summary>Writes the verified claims of a Passport as indented JSON (absent optional claims as null).</summary>
internal static class ClaimsJson
{
    public static string Write(VerifiedPassport verified)
    {
        var p = verified.Passport;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("iss", p.Issuer);
            w.WriteString("sub", p.Subject);
            w.WriteString("aud", p.Audience);
            w.WriteString("jti", p.TokenId);
            w.WriteNumber("iat", p.IssuedAt.ToUnixTimeSeconds());
            w.WriteNumber("nbf", p.NotBefore.ToUnixTimeSeconds());
            w.WriteNumber("exp", p.ExpiresAt.ToUnixTimeSeconds());
            WriteOptional(w, "acr", p.Acr);
            WriteOptional(w, "ial", p.Ial);
            WriteOptional(w, "aal", p.Aal);
            WriteOptional(w, "fal", p.Fal);
            w.WriteString("agent_id", p.AgentId);
            w.WriteString("agent_model", p.AgentModel);
            w.WriteStartArray("tool_scope");
            foreach (string scope in p.ToolScope.ToStrings())
            {
                w.WriteStringValue(scope);
            }

            w.WriteEndArray();
            WriteOptional(w, "task_purpose", p.TaskPurpose);
            WriteOptional(w, "parent_jti", p.ParentJti);
            WriteOptional(w, "parent_hash", p.ParentHash);
            WriteOptional(w, "max_depth", p.MaxDepth);
            w.WriteStartArray("actor_chain");
            foreach (string actor in p.Actor.OutermostFirst())
            {
                w.WriteStringValue(actor);
            }

            w.WriteEndArray();
            w.WriteNumber("chain_depth", verified.Chain.Count);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, int? value)
    {
        if (value is int v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
