using System.Text;
using System.Text.Json;

namespace AgentPassport;

/// <summary>JWKS (RFC 7517 key set) export and import for Passport verification keys.</summary>
public static class Jwks
{
    /// <summary>Writes <paramref name="keys"/> as a JWKS document (<c>{"keys":[…]}</c>), public members only.</summary>
    /// <param name="keys">The keys.</param>
    /// <returns>The JSON text.</returns>
    public static string Export(IEnumerable<PassportVerificationKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in keys)
            {
                key.WriteJwk(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Reads the signature keys of a JWKS document. Keys whose <c>use</c> is not <c>sig</c>, whose <c>key_ops</c> lack <c>verify</c>, whose algorithm is not
    /// supported, or whose <c>kid</c> is present but is not their RFC 7638 thumbprint are skipped.
    /// </summary>
    /// <param name="json">The JWKS JSON text.</param>
    /// <returns>The keys.</returns>
    /// <exception cref="FormatException">The text is not a JWKS document.</exception>
    public static IReadOnlyList<PassportVerificationKey> Import(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The JWKS is not valid JSON.", ex);
        }
        catch (ArgumentException ex)
        {
            // JsonDocument.Parse(string) throws ArgumentException for text that is not valid UTF-16 (a lone surrogate).
            throw new FormatException("The JWKS is not valid text.", ex);
        }

        using (doc)
        {
            // An escaped lone surrogate ("\ud800") parses, but reading it later throws InvalidOperationException.
            if (!Jose.DecodableJson.IsDecodable(doc.RootElement))
            {
                throw new FormatException("The JWKS contains an escaped string that is not valid text.");
            }

            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("Not a valid JWKS: expected an object with a 'keys' array.");
            }

            var result = new List<PassportVerificationKey>();
            foreach (var jwk in keys.EnumerateArray())
            {
                if (jwk.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (jwk.TryGetProperty("use", out var use) && (use.ValueKind != JsonValueKind.String || use.GetString() != "sig"))
                {
                    continue;
                }

                // RFC 7517 §4.3: a key whose key_ops do not include "verify" (e.g. an encryption key) must not verify signatures.
                if (jwk.TryGetProperty("key_ops", out var ops) && !AllowsVerify(ops))
                {
                    continue;
                }

                PassportVerificationKey key;
                try
                {
                    key = PassportVerificationKey.FromJwk(jwk, null);
                }
                catch (FormatException)
                {
                    continue;
                }

                if (jwk.TryGetProperty("kid", out var kid) && (kid.ValueKind != JsonValueKind.String || kid.GetString() != key.KeyId))
                {
                    continue;
                }

                result.Add(key);
            }

            return result;
        }
    }

    // RFC 7517 §4.3: a key whose key_ops do not include "verify" (e.g. an encryption key) must not verify signatures.
    // Shared with the OpenID provider key set, so both readers apply the same rule.
    internal static bool AllowsVerify(JsonElement ops)
    {
        if (ops.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var op in ops.EnumerateArray())
        {
            if (op.ValueKind == JsonValueKind.String && op.GetString() == "verify")
            {
                return true;
            }
        }

        return false;
    }
}
