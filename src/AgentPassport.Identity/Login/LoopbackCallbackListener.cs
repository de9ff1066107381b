using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace AgentPassport;

/// <summary>
/// A minimal HTTP/1.1 listener on the loopback interface for the login redirect (RFC 8252 §7.3). It answers every
/// request it does not want (other paths: 404, other methods: 405) and keeps waiting; the first GET on the registered
/// path ends the wait. It binds only loopback addresses.
/// </summary>
internal sealed class LoopbackCallbackListener : IDisposable
{
    private const int MaxRequestBytes = 16 * 1024;
    private readonly List<TcpListener> _listeners = [];
    private readonly Channel<TcpClient> _connections = Channel.CreateUnbounded<TcpClient>();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _path;

    public LoopbackCallbackListener(Uri redirectUri)
    {
        _path = redirectUri.AbsolutePath;
        bool localhost = redirectUri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
        var first = Start(IPAddress.Loopback, redirectUri.Port);
        int port = ((IPEndPoint)first.LocalEndpoint).Port;
        if (localhost && Socket.OSSupportsIPv6)
        {
            // "localhost" may resolve to ::1 in the browser; listen there too when possible.
            try
            {
                Start(IPAddress.IPv6Loopback, port);
            }
            catch (SocketException)
            {
                // No IPv6 loopback: IPv4 alone serves.
            }
        }

        RedirectUri = new UriBuilder(redirectUri) { Port = port }.Uri;
        foreach (var listener in _listeners)
        {
            _ = AcceptLoopAsync(listener);
        }
    }

    /// <summary>Gets the redirect URI with the actual port.</summary>
    public Uri RedirectUri { get; }

    /// <summary>Waits for the first GET on the registered path and answers it with the page <paramref name="respond"/> chooses.</summary>
    public async Task<Dictionary<string, string>> WaitForCallbackAsync(Func<Dictionary<string, string>, (bool Ok, string Message)> respond, CancellationToken cancellationToken)
    {
        while (true)
        {
            var client = await _connections.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            using (client)
            {
                var query = await HandleAsync(client, respond, cancellationToken).ConfigureAwait(false);
                if (query is not null)
                {
                    return query;
                }
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        while (_connections.Reader.TryRead(out var client))
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    private TcpListener Start(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        listener.Start();
        _listeners.Add(listener);
        return listener;
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                await _connections.Writer.WriteAsync(client, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task<Dictionary<string, string>?> HandleAsync(TcpClient client, Func<Dictionary<string, string>, (bool Ok, string Message)> respond, CancellationToken cancellationToken)
    {
        using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        readTimeout.CancelAfter(TimeSpan.FromSeconds(10));
        var stream = client.GetStream();
        string? head;
        try
        {
            head = await ReadHeadAsync(stream, readTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }

        if (head is null)
        {
            await WriteAsync(stream, 400, "Bad Request", "Bad request.", cancellationToken).ConfigureAwait(false);
            return null;
        }

        var requestLine = head[..head.IndexOf('\r', StringComparison.Ordinal)].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            await WriteAsync(stream, 400, "Bad Request", "Bad request.", cancellationToken).ConfigureAwait(false);
            return null;
        }

        string target = requestLine[1];
        int q = target.IndexOf('?', StringComparison.Ordinal);
        string path = q < 0 ? target : target[..q];
        if (!string.Equals(path, _path, StringComparison.Ordinal))
        {
            await WriteAsync(stream, 404, "Not Found", "Not found.", cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (requestLine[0] != "GET")
        {
            await WriteAsync(stream, 405, "Method Not Allowed", "Method not allowed.", cancellationToken).ConfigureAwait(false);
            return null;
        }

        var query = ParseQuery(q < 0 ? string.Empty : target[(q + 1)..]);
        var (ok, message) = respond(query);
        await WriteAsync(stream, ok ? 200 : 400, ok ? "OK" : "Bad Request", message, cancellationToken).ConfigureAwait(false);
        return query;
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            total += read;
            int end = buffer.AsSpan(0, total).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return Encoding.ASCII.GetString(buffer, 0, end + 2);
            }
        }

        return null;
    }

    /// <summary>Parses a query string; a repeated parameter name is recorded under the key "" so the caller refuses it.</summary>
    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Decode(eq < 0 ? pair : pair[..eq]);
            string value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            if (!result.TryAdd(name, value))
            {
                result[string.Empty] = name;
            }
        }

        return result;
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static async Task WriteAsync(NetworkStream stream, int status, string reason, string message, CancellationToken cancellationToken)
    {
        string body = $"<!doctype html><html><head><meta charset=\"utf-8\"><title>Agent Passport login</title></head><body><p>{WebUtility.HtmlEncode(message)}</p></body></html>";
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        string headers = $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {bodyBytes.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(headers), cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(bodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The browser went away; the outcome does not depend on the page.
        }
    }
}
