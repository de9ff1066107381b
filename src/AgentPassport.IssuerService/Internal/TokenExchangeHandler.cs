using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AgentPassport.IssuerService;

/// <summary>
/// The RFC 8693 token-exchange endpoint. An ID token (validated by the identity validator) becomes a root Passport
/// within the configured ceiling; a parent Passport with its chain becomes a child, attenuated by the core
/// (<see cref="PassportDelegator"/> verifies the parent and <see cref="PassportIssuer"/> refuses any widening). Every
/// refusal is an RFC 6749 §5.2 body; nothing is minted unless every check passed.
/// </summary>
internal static class TokenExchangeHandler
{
    public static async Task HandleAsync(HttpContext http, IssuerServiceRuntime runtime)
    {
        var (form, problem) = await BoundedForm.ReadAsync(http, runtime.Options.MaxRequestBytes).ConfigureAwait(false);
        if (problem is { } p)
        {
            await OAuthError.WriteAsync(http, p.Status, p.Error, p.Description).ConfigureAwait(false);
            return;
        }

        try
        {
            var issued = await ExchangeAsync(form!, runtime, http.RequestAborted).ConfigureAwait(false);
            await WriteIssuedAsync(http, issued, runtime.Options.TimeProvider).ConfigureAwait(false);
        }
        catch (AgentPassportException refused)
        {
            await OAuthError.WriteAsync(http, refused).ConfigureAwait(false);
        }
        catch (ExchangeRefusedException refused)
        {
            await OAuthError.WriteAsync(http, refused.Status, refused.Error, refused.Message).ConfigureAwait(false);
        }
    }

    private static async Task<PassportContext> ExchangeAsync(BoundedForm form, IssuerServiceRuntime runtime, CancellationToken cancellationToken)
    {
        if ((form["grant_type"] ?? throw Missing("grant_type")) != PassportTokenTypes.TokenExchangeGrant)
        {
            throw new ExchangeRefusedException(400, OAuthError.UnsupportedGrantType, $"grant_type must be {PassportTokenTypes.TokenExchangeGrant}");
        }

        if (form["requested_token_type"] is { } requested && requested != PassportTokenTypes.Passport)
        {
            throw new ExchangeRefusedException(400, OAuthError.InvalidRequest, $"only {PassportTokenTypes.Passport} can be issued");
        }

        string subjectToken = form["subject_token"] ?? throw Missing("subject_token");
        string audience = form["audience"] ?? throw Missing("audience");
        if (!runtime.Audiences.Contains(audience))
        {
            throw new ExchangeRefusedException(400, OAuthError.InvalidTarget, "this issuer mints no Passports for that audience");
        }

        string agentId = form["agent_id"] ?? throw Missing("agent_id");
        string agentModel = form["agent_model"] ?? throw Missing("agent_model");
        var scopes = (form["scope"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ttl = Seconds(form["expires_in"], "expires_in");
        int? maxDepth = Integer(form["max_depth"], "max_depth");
        var constraints = Constraints(form["agent_passport_constraints"]);
        string? holder = form["agent_passport_holder_jkt"];

        return form["subject_token_type"] switch
        {
            PassportTokenTypes.IdToken => await RootAsync(runtime, subjectToken, new RootRequestShape(audience, agentId, agentModel, scopes, form["task_purpose"], ttl, maxDepth, constraints, holder), cancellationToken).ConfigureAwait(false),
            PassportTokenTypes.Passport => await ChildAsync(runtime, form, subjectToken, new DelegationRequest
            {
                AgentId = agentId,
                AgentModel = agentModel,
                Audience = audience,
                ToolScope = scopes,
                TaskPurpose = form["task_purpose"],
                Ttl = ttl,
                MaxDepth = maxDepth,
                Constraints = constraints,
                HolderThumbprint = holder,
                ParentProof = form["agent_passport_proof"],
            }, cancellationToken).ConfigureAwait(false),
            null => throw Missing("subject_token_type"),
            _ => throw new ExchangeRefusedException(400, OAuthError.InvalidRequest, "unsupported subject_token_type"),
        };
    }

    private static async Task<PassportContext> RootAsync(IssuerServiceRuntime runtime, string idToken, RootRequestShape shape, CancellationToken cancellationToken)
    {
        var validator = runtime.Options.IdentityValidator
            ?? throw new ExchangeRefusedException(400, OAuthError.InvalidRequest, "this issuer mints no root Passports from ID tokens");
        if (!ScopeSet.TryParse(shape.Scopes, out var requested, out var scopeError))
        {
            throw new ExchangeRefusedException(400, OAuthError.InvalidScope, $"malformed scope: {scopeError}");
        }

        // The ceiling: the same coverage rule as delegation, against what the service may grant at the root.
        if (!requested.IsAttenuationOf(runtime.RootScopes, out var uncovered))
        {
            throw new ExchangeRefusedException(400, OAuthError.InvalidScope, $"'{uncovered.Value}' is beyond what this issuer grants at the root");
        }

        IdentityAssertion identity;
        try
        {
            identity = await validator.ValidateAsync(idToken, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentPassportException invalid)
        {
            throw new ExchangeRefusedException(invalid.Kind is PassportErrorKind.JwksError or PassportErrorKind.DiscoveryError ? 503 : 400,
                invalid.Kind is PassportErrorKind.JwksError or PassportErrorKind.DiscoveryError ? OAuthError.TemporarilyUnavailable : OAuthError.InvalidGrant,
                $"the ID token was refused: {invalid.Message}");
        }

        return await runtime.Delegator.IssueRootAsync(new RootPassportRequest
        {
            Identity = identity,
            AgentId = shape.AgentId,
            AgentModel = shape.AgentModel,
            Audience = shape.Audience,
            ToolScope = shape.Scopes,
            TaskPurpose = shape.TaskPurpose,
            Ttl = shape.Ttl,
            MaxDepth = shape.MaxDepth,
            Constraints = shape.Constraints,
            HolderThumbprint = shape.HolderThumbprint,
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<PassportContext> ChildAsync(IssuerServiceRuntime runtime, BoundedForm form, string parentToken, DelegationRequest request, CancellationToken cancellationToken)
    {
        var parent = ParentContext(parentToken, form["agent_passport_chain"]);
        return await runtime.Delegator.DelegateAsync(parent, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The parent as the core takes it: its own <c>aud</c> is the audience it is verified for (read unverified, only to route; the verifier checks everything).</summary>
    internal static PassportContext ParentContext(string token, string? chainHeader)
    {
        string audience;
        try
        {
            audience = PassportReader.DecodeUnverified(token).Audience;
        }
        catch (AgentPassportException malformed)
        {
            throw new ExchangeRefusedException(400, OAuthError.InvalidGrant, $"the subject token is not a Passport: {malformed.Message}");
        }

        var chain = string.IsNullOrEmpty(chainHeader) ? [] : chainHeader.Split(',', StringSplitOptions.TrimEntries);
        try
        {
            return new PassportContext(token, chain, audience);
        }
        catch (ArgumentException invalid)
        {
            throw new ExchangeRefusedException(400, OAuthError.InvalidRequest, $"the chain is malformed or over the format's caps: {invalid.Message}");
        }
    }

    private static async Task WriteIssuedAsync(HttpContext http, PassportContext issued, TimeProvider time)
    {
        var passport = PassportReader.DecodeUnverified(issued.Token);
        long expiresIn = Math.Max(0, (long)(passport.ExpiresAt - time.GetUtcNow()).TotalSeconds);
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("access_token", issued.Token);
            json.WriteString("issued_token_type", PassportTokenTypes.Passport);
            json.WriteString("token_type", "N_A");
            json.WriteNumber("expires_in", expiresIn);
            json.WriteString("scope", string.Join(' ', passport.ToolScope.ToStrings()));
            json.WriteStartArray("agent_passport_chain");
            foreach (var parent in issued.ChainTokens)
            {
                json.WriteStringValue(parent);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await http.Response.Body.WriteAsync(buffer.ToArray(), http.RequestAborted).ConfigureAwait(false);
    }

    private static TimeSpan? Seconds(string? text, string name) =>
        Integer(text, name) is int s ? (s > 0 ? TimeSpan.FromSeconds(s) : throw new ExchangeRefusedException(400, OAuthError.InvalidRequest, $"{name} must be a positive number of seconds")) : null;

    private static int? Integer(string? text, string name)
    {
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && text.Length <= 9
            ? value
            : throw new ExchangeRefusedException(400, OAuthError.InvalidRequest, $"{name} must be a whole number");
    }

    private static ExchangeRefusedException Missing(string name) => new(400, OAuthError.InvalidRequest, $"the parameter {name} is required");

    /// <summary>The requested argument constraints (spec v1.1 §13), as the claim's JSON; attenuated by the core like the scopes.</summary>
    private static PassportConstraints Constraints(string? json)
    {
        if (json is null)
        {
            return PassportConstraints.Empty;
        }

        try
        {
            return PassportConstraints.Parse(json);
        }
        catch (AgentPassportException malformed)
        {
            throw new ExchangeRefusedException(400, OAuthError.InvalidRequest, $"agent_passport_constraints is not a constraints object: {malformed.Message}");
        }
    }

    private sealed record RootRequestShape(string Audience, string AgentId, string AgentModel, IReadOnlyList<string> Scopes, string? TaskPurpose, TimeSpan? Ttl, int? MaxDepth, PassportConstraints Constraints, string? HolderThumbprint);
}
