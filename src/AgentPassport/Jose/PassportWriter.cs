using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentPassport.Internal;

namespace AgentPassport.Jose;

/// <summary>Serializes and signs a Passport as a compact JWS with the header <c>{alg, typ, kid}</c>.</summary>
internal static class PassportWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // One JSON buffer and writer per thread, reset for every token: issuing allocates little more than the token.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_json;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Sign(Passport passport, PassportSigningKey key)
    {
        var json = t_json ??= new ArrayBufferWriter<byte>(1024);
        json.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(json, Options);
        w.Reset(json);
        w.WriteStartObject();
        w.WriteString("alg", key.Algorithm);
        w.WriteString("typ", PassportClaimNames.TokenType);
        w.WriteString("kid", key.KeyId);
        w.WriteEndObject();
        w.Flush();
        int headerLength = json.WrittenCount;
        w.Reset(json);
        w.WriteStartObject();
        WriteClaims(w, passport);
        w.WriteEndObject();
        w.Flush();

        // The signing input is base64url(header) '.' base64url(payload), encoded straight to ASCII bytes.
        var header = json.WrittenSpan[..headerLength];
        var payload = json.WrittenSpan[headerLength..];
        int headerChars = Base64Url.GetEncodedLength(header.Length);
        int inputLength = headerChars + 1 + Base64Url.GetEncodedLength(payload.Length);
        byte[] input = ArrayPool<byte>.Shared.Rent(inputLength);
        try
        {
            Base64Url.EncodeToUtf8(header, input);
            input[headerChars] = (byte)'.';
            Base64Url.EncodeToUtf8(payload, input.AsSpan(headerChars + 1));
            byte[] signature = key.Sign(input.AsSpan(0, inputLength));
            return string.Create(inputLength + 1 + Base64Url.GetEncodedLength(signature.Length), (input, inputLength, signature), static (chars, state) =>
            {
                Encoding.ASCII.GetChars(state.input.AsSpan(0, state.inputLength), chars);
                chars[state.inputLength] = '.';
                Base64Url.EncodeToChars(state.signature, chars[(state.inputLength + 1)..]);
            });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
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
        if (!p.Constraints.IsEmpty)
        {
            w.WritePropertyName(PassportClaimNames.Constraints);
            p.Constraints.WriteTo(w);
        }

        if (p.HolderThumbprint is not null)
        {
            w.WriteStartObject(PassportClaimNames.Confirmation);
            w.WriteString(PassportClaimNames.ConfirmationThumbprint, p.HolderThumbprint);
            w.WriteEndObject();
        }
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
        foreach (var (name, value) in actor.OtherMembers)
        {
            // Kept as read (RFC 8693 §4.1 members such as iss), so a parent's act is nested unchanged.
            w.WritePropertyName(name);
            value.WriteTo(w);
        }

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
