using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AgentPassport.AspNetCore;

/// <summary>
/// The Passport, chain and proof one HTTP request carries (<see cref="PassportHttpWire"/>), read strictly: a header given
/// twice, a value over its cap, an empty chain entry, a chain or proof without a Passport, or two different Passports
/// (<c>Agent-Passport</c> and <c>Authorization: Bearer</c>) is a malformed credential, never a partial one. Sizes are counted
/// on the raw values before anything is split or copied. Never holds a token in an error message.
/// </summary>
public sealed class PassportHttpCredentials
{
    private static readonly PassportHttpCredentials None = new(null, [], null, null);

    private PassportHttpCredentials(string? token, string[] chainTokens, string? proof, PassportError? error)
    {
        Token = token;
        ChainTokens = chainTokens;
        Proof = proof;
        Error = error;
    }

    /// <summary>Gets the leaf Passport, or null when the request carries none (or a malformed one).</summary>
    public string? Token { get; }

    /// <summary>Gets the parents' compact tokens, root first (empty for a root Passport).</summary>
    public IReadOnlyList<string> ChainTokens { get; }

    /// <summary>Gets the holder's proof, or null.</summary>
    public string? Proof { get; }

    /// <summary>Gets the error of a malformed credential (kind <see cref="PassportErrorKind.InvalidToken"/>), or null.</summary>
    public PassportError? Error { get; }

    /// <summary>Gets a value indicating whether the request carries no Passport header at all (and nothing malformed).</summary>
    public bool IsEmpty => Token is null && Error is null;

    /// <summary>Reads the credentials of <paramref name="request"/>.</summary>
    /// <param name="request">The HTTP request.</param>
    /// <param name="acceptAuthorizationHeader">Whether <c>Authorization: Bearer</c> may carry the leaf (false when the server keeps <c>Authorization</c> for its own OAuth).</param>
    /// <returns>The credentials: none, a Passport with its chain and proof, or an error.</returns>
    public static PassportHttpCredentials Read(HttpRequest request, bool acceptAuthorizationHeader)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers;
        var (passport, passportError) = Single(headers, PassportHttpWire.PassportHeaderName, PassportLimits.MaxTokenBytes);
        if (passportError is not null)
        {
            return Failed(passportError);
        }

        string? bearer = null;
        if (acceptAuthorizationHeader)
        {
            var (value, bearerError) = Bearer(headers);
            if (bearerError is not null)
            {
                return Failed(bearerError);
            }

            bearer = value;
        }

        if (passport is not null && bearer is not null && !string.Equals(passport, bearer, StringComparison.Ordinal))
        {
            return Failed("the request carries two different Passports (Agent-Passport and Authorization)");
        }

        var token = passport ?? bearer;
        var (proof, proofError) = Single(headers, PassportHttpWire.ProofHeaderName, PassportHttpWire.MaxProofBytes);
        if (proofError is not null)
        {
            return Failed(proofError);
        }

        bool hasChain = headers.TryGetValue(PassportHttpWire.ChainHeaderName, out var parents);
        if (token is null)
        {
            return hasChain || proof is not null ? Failed("a chain or proof header came without a Passport") : None;
        }

        if (!hasChain)
        {
            return new(token, [], proof, null);
        }

        if (CheckChain(parents) is { } sizeError)
        {
            return new(null, [], null, sizeError);
        }

        var chain = Split(parents);
        return chain is null ? Failed($"the {PassportHttpWire.ChainHeaderName} header has an empty entry") : new(token, chain, proof, null);
    }

    /// <summary>The context to authorize with, or null when the request carries no (well-formed) Passport.</summary>
    /// <param name="audience">The audience to verify against, or null for the policy's.</param>
    /// <returns>The context.</returns>
    public PassportContext? ToContext(string? audience) => Token is null ? null : new PassportContext(Token, ChainTokens, audience);

    /// <inheritdoc />
    public override string ToString() => Error is not null
        ? $"PassportHttpCredentials (malformed: {Error.Code})"
        : $"PassportHttpCredentials ({(Token is null ? "none" : "token redacted")}, {ChainTokens.Count} parent(s), {(Proof is null ? "no proof" : "proof redacted")})";

    // One header line, one compact value, within its cap: a header given twice is ambiguous and refused.
    private static (string? Value, PassportError? Error) Single(IHeaderDictionary headers, string name, int maxBytes)
    {
        if (!headers.TryGetValue(name, out var values))
        {
            return (null, null);
        }

        if (values.Count != 1 || values[0] is not { } raw)
        {
            return (null, Malformed($"the {name} header is given more than once"));
        }

        if (raw.Length > maxBytes)
        {
            return (null, Malformed($"the {name} header is over its {maxBytes}-byte cap"));
        }

        var value = raw.Trim();
        return IsCompact(value) ? (value, null) : (null, Malformed($"the {name} header is not one compact token"));
    }

    // Authorization: Bearer <leaf>. When the header is not reserved it is a Passport carrier: another scheme, a second
    // line or anything but one compact token is malformed (a server with its own use for it reserves it).
    private static (string? Value, PassportError? Error) Bearer(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue("Authorization", out var values))
        {
            return (null, null);
        }

        if (values.Count != 1 || values[0] is not { } raw)
        {
            return (null, Malformed("the Authorization header is given more than once"));
        }

        if (raw.Length > PassportHttpWire.BearerScheme.Length + 1 + PassportLimits.MaxTokenBytes + 64)
        {
            return (null, Malformed("the Authorization header is over the token size cap"));
        }

        if (!raw.StartsWith(PassportHttpWire.BearerScheme + " ", StringComparison.OrdinalIgnoreCase)
            || raw[(PassportHttpWire.BearerScheme.Length + 1)..].Trim() is not { } token
            || !IsCompact(token))
        {
            return (null, Malformed("the Authorization header is not 'Bearer <passport>' (reserve it if the server uses it otherwise)"));
        }

        return (token, null);
    }

    // Counts separators and lengths on the raw header values: nothing is joined or split before the caps hold.
    private static PassportError? CheckChain(StringValues values)
    {
        long entries = 0, chars = 0;
        foreach (var value in values)
        {
            var text = value ?? string.Empty;
            entries += 1 + text.AsSpan().Count(',');
            chars += text.Length;
        }

        // Commas and optional spaces around them are not token bytes: allow two per entry.
        return PassportInputLimits.CheckParentCount(entries) ?? PassportInputLimits.CheckChainSize(chars - (2 * entries));
    }

    // Null when an entry is empty (",," or a trailing comma) or not compact: a malformed chain is refused, never shortened.
    private static string[]? Split(StringValues values)
    {
        var parts = (values.Count == 1 ? values[0]! : string.Join(',', values.ToArray())).Split(',', StringSplitOptions.TrimEntries);
        return parts.All(IsCompact) ? parts : null;
    }

    // A compact serialization has no whitespace, commas or control characters; the verifier checks the rest.
    private static bool IsCompact(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c <= ' ' || c == ',' || c >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static PassportHttpCredentials Failed(string message) => new(null, [], null, Malformed(message));

    private static PassportHttpCredentials Failed(PassportError error) => new(null, [], null, error);

    private static PassportError Malformed(string message) => AgentPassportException.Create(PassportErrorKind.InvalidToken, message).Error;
}
