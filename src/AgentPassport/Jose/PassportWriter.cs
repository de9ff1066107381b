using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentPassport.Internal;

namespace AgentPassport.Jose;

/// <summary>Serializes and signs a Passport as a compact JWS with the header <c>{alg, typ, kid}</c>.</summary>
internal static class PassportWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Sign(Passport passport, PassportSigningKey key)
    {
        string header = Encode(w =>
        {
            w.WriteString("alg", key.Algorithm);
            w.WriteString("typ", PassportClaimNames.TokenType);
            w.WriteString("kid", key.KeyId);
        });
        string payload = Encode(w => WriteClaims(w, passport));
        string signingInput = header + "." + payload;
        byte[] signature = key.Sign(Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + CanonicalBase64Url.Encode(signature);
    }

    /// <summary>Writes the claims in a stable order; optional claims are omitted, never null.</summary>
    public static void WriteClaims(Utf8JsonWriter w, Passport p)
    {
        w.WriteString(PassportClaimNames.Issuer, p.Issuer);
        w.WriteString(PassportClaimNames.Subject, p.Subject);
        w.WriteString(PassportClaimNames.Audience, p.Audience);
        w.WriteNumber(PassportClaimNames.IssuedAt, p.IssuedAt.ToUnixTimeSeconds());
        w.WriteNumber(PassportClaimNames.NotBefore, p.NotBefore.ToUnixTimeSeconds());
        w.WriteNumber(PassportClaimNames.ExpiresAt, p.ExpiresAt.ToUnixTimeSeconds());
        w.WriteString(PassportClaimNames.TokenId, p.TokenId);
        WriteOptional(w, PassportClaimNames.Acr, p.Acr);
        WriteOptional(w, PassportClaimNames.Ial, p.Ial);
        WriteOptional(w, PassportClaimNames.Aal, p.Aal);
        WriteOptional(w, PassportClaimNames.Fal, p.Fal);
        w.WritePropertyName(PassportClaimNames.Actor);
        WriteActor(w, p.Actor);
        w.WriteString(PassportClaimNames.AgentId, p.AgentId);
        w.WriteString(PassportClaimNames.AgentModel, p.AgentModel);
        w.WriteStartArray(PassportClaimNames.ToolScope);
        foreach (var scope in p.ToolScope)
        {
            w.WriteStringValue(scope.Value);
        }

        w.WriteEndArray();
        WriteOptional(w, PassportClaimNames.TaskPurpose, p.TaskPurpose);
        WriteOptional(w, PassportClaimNames.ParentJti, p.ParentJti);
        WriteOptional(w, PassportClaimNames.ParentHash, p.ParentHash);
        WriteOptional(w, PassportClaimNames.MaxDepth, p.MaxDepth);
    }

    public static string Encode(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return CanonicalBase64Url.Encode(buffer.WrittenSpan);
    }

    private static void WriteActor(Utf8JsonWriter w, PassportActor actor)
    {
        w.WriteStartObject();
        w.WriteString("sub", actor.Subject);
        if (actor.Parent is not null)
        {
            w.WritePropertyName("act");
            WriteActor(w, actor.Parent);
        }

        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, int? value)
    {
        if (value is not null)
        {
            w.WriteNumber(name, value.Value);
        }
    }
}
