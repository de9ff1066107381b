using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AgentPassport.IssuerService;

/// <summary>
/// The revocation endpoint. The holder of a Passport revokes it, and so every Passport delegated from it, by presenting
/// it with its chain: the Passport must verify (a thief holding only a descendant cannot revoke an ancestor). The
/// administrator policy, when it accepts the request, may also revoke any Passport of this issuer without its chain, or
/// every Passport of a principal (<c>subject</c>) or an agent (<c>agent_id</c>) issued before now.
/// </summary>
internal static class RevocationHandler
{
    public static async Task HandleAsync(HttpContext http, IssuerServiceRuntime runtime)
    {
        var (form, problem) = await BoundedForm.ReadAsync(http, runtime.Options.MaxRequestBytes).ConfigureAwait(false);
        if (problem is { } p)
        {
            await OAuthError.WriteAsync(http, p.Status, p.Error, p.Description).ConfigureAwait(false);
            return;
        }

        var revoker = runtime.Revoker!;
        try
        {
            string revoked = await RevokeAsync(http, form!, runtime, revoker).ConfigureAwait(false);
            http.Response.ContentType = "application/json";
            http.Response.Headers.CacheControl = "no-store";
            await http.Response.WriteAsync($"{{\"revoked\":\"{revoked}\"}}", http.RequestAborted).ConfigureAwait(false);
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

    private static async Task<string> RevokeAsync(HttpContext http, BoundedForm form, IssuerServiceRuntime runtime, PassportRevoker revoker)
    {
        var cancellationToken = http.RequestAborted;
        string? subject = form["subject"];
        string? agentId = form["agent_id"];
        string? token = form["token"];
        if ((subject is not null ? 1 : 0) + (agentId is not null ? 1 : 0) + (token is not null ? 1 : 0) != 1)
        {
            throw new ExchangeRefusedException(400, OAuthError.InvalidRequest, "give exactly one of token, subject or agent_id");
        }

        if (token is null)
        {
            await RequireAdministratorAsync(http, runtime).ConfigureAwait(false);
            var now = runtime.Options.TimeProvider.GetUtcNow();
            var entry = subject is not null ? RevocationEntry.ForSubject(Bounded(subject), now) : RevocationEntry.ForAgent(Bounded(agentId!), now);
            await revoker.RevokeAsync(entry, cancellationToken).ConfigureAwait(false);
            return subject is not null ? "subject" : "agent";
        }

        var context = TokenExchangeHandler.ParentContext(token, form["agent_passport_chain"]);
        var result = await runtime.Authorizer.ValidateAsync(context, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            // A bound Passport is revoked by its holder only: a thief holding just the token cannot (spec v1.1 §11).
            var held = await runtime.HolderProofs.VerifyAsync(result.Passport, form["agent_passport_proof"],
                PassportProofExpectation.ForOperation(runtime.Issuer.IssuerUrl, PassportIssuerEndpoints.RevokeOperation), cancellationToken).ConfigureAwait(false);
            if (held.Succeeded)
            {
                await revoker.RevokeAsync(result.Passport.Passport, cancellationToken).ConfigureAwait(false);
                return "token";
            }

            if (held.Error.Kind == PassportErrorKind.ReplayCacheUnavailable)
            {
                throw new AgentPassportException(held.Error);
            }

            result = PassportValidationResult.Failure(held.Error);
        }

        var error = result.Error!;
        if (error.Kind is PassportErrorKind.Revoked or PassportErrorKind.Expired && error.ChainIndex is null)
        {
            // Already revoked or expired: nothing left to stop (RFC 7009 §2.2 answers 200 for these too).
            return "token";
        }

        if (error.Kind is PassportErrorKind.JwksError or PassportErrorKind.RevocationUnavailable)
        {
            throw new AgentPassportException(error);
        }

        // Not verifiable as held: only an administrator may revoke it, and only a Passport of this issuer.
        await RequireAdministratorAsync(http, runtime, error).ConfigureAwait(false);
        var claims = PassportReader.DecodeUnverified(token);
        if (claims.Issuer != runtime.Issuer.IssuerUrl)
        {
            throw new ExchangeRefusedException(400, OAuthError.InvalidGrant, "the token was not issued by this issuer");
        }

        await revoker.RevokeAsync(claims, cancellationToken).ConfigureAwait(false);
        return "token";
    }

    private static async Task RequireAdministratorAsync(HttpContext http, IssuerServiceRuntime runtime, PassportError? holderError = null)
    {
        if (runtime.Options.IsAdministrator is { } isAdministrator && await isAdministrator(http, http.RequestAborted).ConfigureAwait(false))
        {
            return;
        }

        throw holderError is null
            ? new ExchangeRefusedException(403, OAuthError.UnauthorizedClient, "only an administrator may revoke a principal's or an agent's Passports")
            : new ExchangeRefusedException(400, OAuthError.InvalidGrant, string.Create(CultureInfo.InvariantCulture, $"the token does not verify as held ({holderError.Name}: {holderError.Message})"));
    }

    private static string Bounded(string value) => value.Length <= RevocationEntry.MaxValueLength
        ? value
        : throw new ExchangeRefusedException(400, OAuthError.InvalidRequest, $"the value is over {RevocationEntry.MaxValueLength} characters");
}
