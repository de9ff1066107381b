namespace AgentPassport.Cli;

/// <summary>
/// The trusted keys of <c>--jwks</c>: a JWKS file, read now; or an http(s) URL, trusted through the core
/// <see cref="RemoteJwksPassportKeyResolver"/> (fetched on the first key lookup, with its timeouts, retries and circuit
/// breaker; a fetch failure comes back from the verifier as a typed <see cref="PassportErrorKind.JwksError"/>).
/// </summary>
internal static class JwksSource
{
    /// <summary>Opens the resolver; the caller disposes it when it is <see cref="IDisposable"/>.</summary>
    public static async Task<IPassportKeyResolver> OpenAsync(string fileOrUrl, CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(fileOrUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            try
            {
                return new RemoteJwksPassportKeyResolver(new RemoteJwksPassportKeyResolverOptions { JwksUrl = uri });
            }
            catch (ArgumentException ex)
            {
                // For example plain http to a host that is not loopback.
                string message = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
                throw new UsageException($"--jwks: {message}");
            }
        }

        if (!File.Exists(fileOrUrl))
        {
            throw new UsageException($"--jwks: no such file '{fileOrUrl}' (give a JWKS file or an http(s) URL).");
        }

        string json = await File.ReadAllTextAsync(fileOrUrl, cancellationToken).ConfigureAwait(false);
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
