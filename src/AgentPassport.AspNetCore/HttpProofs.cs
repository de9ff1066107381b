using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace AgentPassport.AspNetCore;

/// <summary>
/// Holder proofs of plain HTTP resources (spec v1.1 §11: <c>htm</c> + <c>htu</c> instead of <c>op</c>), verified with the
/// authorizer's policy and its replay cache, so a proof used at a scope endpoint is a replay here and the reverse.
/// </summary>
internal static class HttpProofs
{
    private static readonly ConditionalWeakTable<PassportAuthorizer, PassportProofVerifier> Verifiers = new();

    /// <summary>Null when the proof holds (or none is needed), else why not.</summary>
    public static async ValueTask<PassportError?> CheckAsync(PassportAuthorizer authorizer, HttpContext http, VerifiedPassport leaf, string? proof)
    {
        var verifier = Verifiers.GetValue(authorizer, a => new PassportProofVerifier(a.Policy, a.ReplayCache, a.TimeProvider));
        PassportProofExpectation expectation;
        try
        {
            expectation = Expect(http, leaf);
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException)
        {
            return AgentPassportException.Create(PassportErrorKind.InvalidToken, "the request URL cannot be named for a proof").Error;
        }

        return (await verifier.VerifyAsync(leaf, proof, expectation, http.RequestAborted).ConfigureAwait(false)).Error;
    }

    /// <summary>The request as this server sees it: behind a proxy, apply the forwarded headers first so <c>htu</c> matches.</summary>
    private static PassportProofExpectation Expect(HttpContext http, VerifiedPassport leaf)
    {
        var request = http.Request;
        var url = new Uri(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path));
        return PassportProofExpectation.ForHttp(leaf.Passport.Audience, request.Method, url);
    }
}
