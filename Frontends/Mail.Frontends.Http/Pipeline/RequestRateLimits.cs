using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Mail.Grains.Interfaces.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace Mail.Frontends.Http.Pipeline;

/// <summary>
/// The two request limits, each a fixed window per minute. The per-client one runs before authentication, so a flood of
/// bad tokens, API keys or passwords is refused with 429 before any of them costs a signature check or a grain call; the
/// per-account one runs after it, since only then is the account known. A client is keyed as the login throttle keys it
/// (an IPv4 address, an IPv6 /64), after the forwarded-header step has named it.
/// </summary>
public static class RequestRateLimits
{
    /// <summary>Limits every request by client address: for the pipeline before authentication.</summary>
    public static RateLimiterOptions PerClient(RateLimitSettings settings) => Options(
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetFixedWindowLimiter(ThrottleKey.Of(context.Connection.RemoteIpAddress ?? IPAddress.None),
                _ => Window(settings.PerIpPerMinute))));

    /// <summary>Limits authenticated requests by account (or by tenant, for a tenant key): for the pipeline after authentication.</summary>
    public static RateLimiterOptions PerAccount(RateLimitSettings settings) => Options(
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            (context.User.FindFirst("sub")?.Value ?? Auth.TenantPrincipal.PartitionOf(context.User)) is { } account
                ? RateLimitPartition.GetFixedWindowLimiter(account, _ => Window(settings.PerAccountPerMinute))
                : RateLimitPartition.GetNoLimiter("anonymous")));

    private static RateLimiterOptions Options(PartitionedRateLimiter<HttpContext> limiter) => new()
    {
        GlobalLimiter = limiter,
        RejectionStatusCode = StatusCodes.Status429TooManyRequests,
        OnRejected = async (context, _) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Results.Problem($"Rate limit exceeded; retry after {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(context.HttpContext);
        },
    };

    private static FixedWindowRateLimiterOptions Window(int permitsPerMinute) => new()
    {
        PermitLimit = permitsPerMinute,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };
}
