namespace AgentPassport;

/// <summary>
/// What a proof must say to match the call it accompanies: the audience called and either an operation (with the call's
/// arguments, when the enforcement point sees them) or an HTTP request. Build one with <see cref="ForOperation"/> or
/// <see cref="ForHttp"/>. Immutable.
/// </summary>
public sealed class PassportProofExpectation
{
    private static readonly object NoHash = new();

    private object? _argumentsHash;

    private PassportProofExpectation(string audience, string? operation, PassportToolArguments? arguments, string? httpMethod, string? httpTarget)
    {
        Audience = audience;
        Operation = operation;
        Arguments = arguments;
        HttpMethod = httpMethod;
        HttpTarget = httpTarget;
    }

    /// <summary>Gets the audience the proof's <c>aud</c> must equal (the leaf's <c>aud</c>, or the issuer URL for a delegation).</summary>
    public string Audience { get; }

    /// <summary>Gets the operation the proof's <c>op</c> must equal, or null for an HTTP request.</summary>
    public string? Operation { get; }

    /// <summary>Gets the call's arguments, which a proof's <c>args</c> must hash to; null when not known (then a proof with <c>args</c> is refused: it cannot be checked).</summary>
    public PassportToolArguments? Arguments { get; }

    /// <summary>Gets the HTTP method the proof's <c>htm</c> must equal (case-sensitive), or null for an operation.</summary>
    public string? HttpMethod { get; }

    /// <summary>Gets the <c>htu</c> the proof must name (scheme, host, port and path), or null for an operation.</summary>
    public string? HttpTarget { get; }

    /// <summary>Expects a proof for an operation: a tool call (the tool's required scope) or <see cref="PassportProof.DelegateOperation"/>.</summary>
    /// <param name="audience">The audience called (or the issuer URL, for a delegation).</param>
    /// <param name="operation">The operation.</param>
    /// <param name="arguments">The call's arguments as the tool receives them, or null when not known.</param>
    /// <returns>The expectation.</returns>
    public static PassportProofExpectation ForOperation(string audience, string operation, PassportToolArguments? arguments = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        return new(audience, operation, arguments, null, null);
    }

    /// <summary>Expects a proof for a plain HTTP request.</summary>
    /// <param name="audience">The audience called.</param>
    /// <param name="method">The request's method, as received.</param>
    /// <param name="url">The request's absolute URL as the server sees it (query and fragment are ignored).</param>
    /// <returns>The expectation.</returns>
    /// <exception cref="ArgumentException">The URL is not an absolute http(s) URL.</exception>
    public static PassportProofExpectation ForHttp(string audience, string method, Uri url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(url);
        string target = PassportProof.HttpTarget(url) ?? throw new ArgumentException("The URL must be an absolute http or https URL.", nameof(url));
        return new(audience, null, null, method, target);
    }

    /// <summary>Gets the <c>args</c> hash of <see cref="Arguments"/>, computed once; null when there are none or they have no canonical form.</summary>
    internal string? ArgumentsHash
    {
        get
        {
            if (Arguments is null)
            {
                return null;
            }

            // One field, written once with the hash or a "none" marker, so a shared expectation is safe across threads.
            var hash = Volatile.Read(ref _argumentsHash);
            if (hash is null)
            {
                hash = (object?)PassportProof.HashArguments(Arguments) ?? NoHash;
                Volatile.Write(ref _argumentsHash, hash);
            }

            return hash as string;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Operation is not null
        ? $"proof for op '{Operation}' at '{Audience}'"
        : $"proof for {HttpMethod} {HttpTarget} at '{Audience}'";
}
