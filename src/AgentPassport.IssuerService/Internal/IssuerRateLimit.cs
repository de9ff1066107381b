using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace AgentPassport.IssuerService;

/// <summary>
/// A token bucket per client address, from the rate limiters ASP.NET Core's rate-limiting middleware is built on. It is
/// applied by the endpoints themselves (an endpoint filter), so it holds even when the application never calls
/// <c>UseRateLimiter()</c>.
/// </summary>
internal sealed class IssuerRateLimit : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public IssuerRateLimit(int perSecond)
    {
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetTokenBucketLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = perSecond,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        using var lease = await _limiter.AcquireAsync(context.HttpContext, 1, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            context.HttpContext.Response.Headers.RetryAfter = "1";
            await OAuthError.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, OAuthError.TemporarilyUnavailable, "too many requests from this client; retry later").ConfigureAwait(false);
            return Results.Empty;
        }

        return await next(context).ConfigureAwait(false);
    }

    public void Dispose() => _limiter.Dispose();
}
