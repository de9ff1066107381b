using System.Text;
using System.Text.Json;

namespace AgentPassport.Cli;

/// <summary>
/// Writes a Passport's claims as indented JSON under their short names (<c>agent_id</c>, not the claim URI; absent
/// optional claims as null), the one vocabulary of <c>verify</c> and <c>inspect</c>. The raw payload is <c>inspect --format raw</c>.
/// </summary>
internal static class ClaimsJson
{
    public static string Write(VerifiedPassport verified) => Write([verified.Passport], chainDepth: verified.Chain.Count);

    /// <summary>One object, or with several Passports (a chain, root first) an array.</summary>
    public static string Write(IReadOnlyList<Passport> passports, int? chainDepth = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            if (passports.Count > 1)
            {
                w.WriteStartArray();
            }

            foreach (var p in passports)
            {
                WriteOne(w, p, chainDepth ?? p.Depth);
            }

            if (passports.Count > 1)
            {
                w.WriteEndArray();
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteOne(Utf8JsonWriter w, Passport p, int chainDepth)
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
        if (!p.Constraints.IsEmpty)
        {
            w.WritePropertyName("constraints");
            p.Constraints.WriteTo(w);
        }

        w.WriteStartArray("actor_chain");
        foreach (string actor in p.Actor.OutermostFirst())
        {
            w.WriteStringValue(actor);
        }

        w.WriteEndArray();
        w.WriteNumber("chain_depth", chainDepth);
        w.WriteEndObject();
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
