using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentPassport.AspNetCore;

/// <summary>
/// A request's arguments as the one form the authorizer takes (<see cref="PassportToolArguments"/>): the route's parameters
/// and the query (strings; a repeated query key as an array) and the members of a JSON object body, read up to a cap and
/// rewound so the endpoint reads it again. A name given by two sources is ambiguous and satisfies nothing. Null when the
/// body cannot be read within the cap (then any check that needs arguments denies).
/// </summary>
internal static class PassportRequestArguments
{
    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = 32 };

    public static async Task<PassportToolArguments?> ReadAsync(HttpContext http, int maxBodyBytes, CancellationToken cancellationToken)
    {
        JsonDocument? body = null;
        try
        {
            if (http.Request.HasJsonContentType())
            {
                body = await ReadBodyAsync(http.Request, maxBodyBytes, cancellationToken).ConfigureAwait(false);
                if (body is null || body.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }
            }

            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                WriteRoute(http, writer);
                WriteQuery(http.Request.Query, writer);
                if (body is not null)
                {
                    foreach (var member in body.RootElement.EnumerateObject())
                    {
                        member.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            // Duplicate names (route and body, or twice in the body) stay in the text: FromJsonObject marks them unreadable.
            using var merged = JsonDocument.Parse(buffer.WrittenMemory);
            return PassportToolArguments.FromJsonObject(merged.RootElement);
        }
        finally
        {
            body?.Dispose();
        }
    }

    private static async Task<JsonDocument?> ReadBodyAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBodyBytes)
        {
            return null;
        }

        // Buffered (memory, then a temporary file) without a limit of its own: the endpoint reads the whole body after us.
        request.EnableBuffering();
        var bytes = ArrayPool<byte>.Shared.Rent(maxBodyBytes + 1);
        try
        {
            int read = 0;
            while (read <= maxBodyBytes)
            {
                int n = await request.Body.ReadAsync(bytes.AsMemory(read, maxBodyBytes + 1 - read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            request.Body.Position = 0;
            if (read > maxBodyBytes)
            {
                return null;
            }

            try
            {
                return JsonDocument.Parse(bytes.AsMemory(0, read), BodyOptions);
            }
            catch (JsonException)
            {
                return null;
            }
        }
        catch (IOException)
        {
            // The client went away or the server's body limit was hit: the arguments cannot be read.
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static void WriteRoute(HttpContext http, Utf8JsonWriter writer)
    {
        if (http.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return;
        }

        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            if (http.Request.RouteValues.TryGetValue(parameter.Name, out var value) && value is not null)
            {
                writer.WriteString(parameter.Name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private static void WriteQuery(IQueryCollection query, Utf8JsonWriter writer)
    {
        foreach (var (name, values) in query)
        {
            if (values.Count == 1)
            {
                writer.WriteString(name, values[0]);
                continue;
            }

            writer.WriteStartArray(name);
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }
    }
}
