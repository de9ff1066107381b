using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentPassport.AspNetCore;

/// <summary>
/// Authenticates a request by the Passport it carries (<see cref="PassportHttpWire"/>): verified (chain, revocation,
/// the verified-chain cache) by the shared <see cref="PassportAuthorizer"/> against this resource's audience, without a scope
/// and without an audit record (the scope decision, audited once, is <see cref="PassportScopeRequirement"/>'s). Challenges
/// and forbids answer <c>401</c>/<c>403</c> with <c>WWW-Authenticate: AgentPassport error="…", scope="…"</c>.
/// </summary>
internal sealed class PassportAuthenticationHandler(IOptionsMonitor<PassportAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<PassportAuthenticationOptions>(options, logger, encoder)
{
    internal PassportAuthorizer Authorizer => Options.Authorizer ?? Context.RequestServices.GetRequiredService<PassportAuthorizer>();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var feature = Feature(Context, Options);
        if (feature.AuthenticationError is { } malformed)
        {
            return AuthenticateResult.Fail(new AgentPassportException(malformed));
        }

        if (feature.Context is null)
        {
            return AuthenticateResult.NoResult();
        }

        var result = await Authorizer.ValidateAsync(feature.Context, Context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            feature.AuthenticationError = result.Error;
            return AuthenticateResult.Fail(new AgentPassportException(result.Error));
        }

        // A plain resource (no scope decision to follow) checks the holder's proof here, for htm/htu; an endpoint with a
        // Passport scope checks it once, in the scope decision (op = the scope): a proof is single-use.
        if (PassportScopeRequirement.Of(Context) is null)
        {
            if (await HttpProofs.CheckAsync(Authorizer, Context, result.Passport, feature.Context.Proof).ConfigureAwait(false) is { } proofError)
            {
                feature.AuthenticationError = proofError;
                return AuthenticateResult.Fail(new AgentPassportException(proofError));
            }
        }

        feature.Verified = result.Passport;
        var principal = PassportPrincipal.From(result.Passport, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        PassportChallenge.WriteAsync(Context, Options, forbidden: false);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        PassportChallenge.WriteAsync(Context, Options, forbidden: true);

    /// <summary>The request's feature, reading its credentials the first time (once per request, whichever handler asks first).</summary>
    internal static PassportRequestFeature Feature(Microsoft.AspNetCore.Http.HttpContext http, PassportAuthenticationOptions options)
    {
        if (http.Features.Get<PassportRequestFeature>() is { } existing)
        {
            return existing;
        }

        var credentials = PassportHttpCredentials.Read(http.Request, acceptAuthorizationHeader: !options.ReserveAuthorizationHeader);
        PassportContext? context = null;
        PassportError? error = credentials.Error;
        if (error is null && credentials.Token is not null)
        {
            try
            {
                context = credentials.ToContext(options.Audience);
                context = credentials.Proof is { } proof ? context!.WithProof(proof) : context;
            }
            catch (ArgumentException)
            {
                // The reader already holds the caps; a context it still cannot build is a malformed credential all the same.
                error = AgentPassportException.Create(PassportErrorKind.InvalidToken, "the Passport or its chain is over the format's caps").Error;
            }
        }

        var feature = new PassportRequestFeature(credentials, context) { AuthenticationError = error };
        http.Features.Set(feature);
        return feature;
    }
}
