namespace AgentPassport.Cli;

/// <summary>Loads the trusted keys of <c>--jwks</c>: a JWKS file, or an http(s) URL fetched once.</summary>
internal static class JwksSource
{
    public static async Task<JwksPassportKeyResolver> LoadAsync(string fileOrUrl, CancellationToken cancellationToken)
    {
        string json;
        if (Uri.TryCreate(fileOrUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            try
            {
                json = await http.GetStringAsync(uri, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                throw new CliFailure($"could not fetch the JWKS from {uri}: {ex.Message}");
            }
        }
        else if (File.Exists(fileOrUrl))
        {
            json = await File.ReadAllTextAsync(fileOrUrl, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new UsageException($"--jwks: no such file '{fileOrUrl}' (give a JWKS file or an http(s) URL).");
        }

        try
        {
            return JwksPassportKeyResolver.FromJson(json);
        }
        catch (FormatException ex)
        {
            throw new CliFailure($"could not read the JWKS from {fileOrUrl}: {ex.Message}");
        }
    }
}
