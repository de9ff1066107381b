using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace AgentPassport.IssuerService;

/// <summary>
/// Reads an <c>application/x-www-form-urlencoded</c> body of at most a set size: a declared length over the cap is
/// refused unread, an undeclared (chunked) body is cut at the cap, and a parameter given twice is refused (RFC 6749 §3.2).
/// </summary>
internal sealed class BoundedForm
{
    private const int MaxFields = 32;
    private readonly Dictionary<string, StringValues> _fields;

    private BoundedForm(Dictionary<string, StringValues> fields) => _fields = fields;

    /// <summary>The first value of <paramref name="name"/>, or null when absent or empty.</summary>
    public string? this[string name] => _fields.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v[0]) ? v[0] : null;

    /// <summary>Reads the form, or returns the error to send (status, error, description).</summary>
    public static async Task<(BoundedForm? Form, (int Status, string Error, string Description)? Problem)> ReadAsync(HttpContext http, int maxBytes)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return (null, (405, OAuthError.InvalidRequest, "use POST"));
        }

        if (request.ContentType is not { } contentType
            || !contentType.Split(';')[0].Trim().Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, (400, OAuthError.InvalidRequest, "the body must be application/x-www-form-urlencoded"));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, (413, OAuthError.InvalidRequest, $"the body is over {maxBytes} bytes"));
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        byte[] body;
        try
        {
            body = await ReadUpToAsync(request.Body, maxBytes + 1, http.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            return (null, (413, OAuthError.InvalidRequest, $"the body is over {maxBytes} bytes"));
        }

        if (body.Length > maxBytes)
        {
            return (null, (413, OAuthError.InvalidRequest, $"the body is over {maxBytes} bytes"));
        }

        Dictionary<string, StringValues> fields;
        try
        {
            string text = new UTF8Encoding(false, true).GetString(body);
            using var reader = new FormReader(text) { ValueCountLimit = MaxFields, KeyLengthLimit = 64, ValueLengthLimit = maxBytes };
            fields = reader.ReadForm();
        }
        catch (Exception ex) when (ex is InvalidDataException or DecoderFallbackException or ArgumentException)
        {
            return (null, (400, OAuthError.InvalidRequest, "the form is malformed or has too many fields"));
        }

        foreach (var (name, values) in fields)
        {
            if (values.Count > 1)
            {
                return (null, (400, OAuthError.InvalidRequest, $"the parameter {name} is given more than once"));
            }
        }

        return (new BoundedForm(fields), null);
    }

    private static async Task<byte[]> ReadUpToAsync(Stream body, int max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while (buffer.Length < max && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, max - buffer.Length)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
