using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http.Pipeline;

/// <summary>
/// Puts the browser hardening headers on every response, errors and static files included: nosniff (Fetch standard
/// §3.7), a Content-Security-Policy (CSP Level 3) with frame-ancestors, X-Frame-Options (RFC 7034) for browsers without
/// CSP, and no Referer leaving the origin. Added when the response starts, so an exception handler that clears the
/// response cannot drop them; a policy an endpoint set itself (the attachment sandbox) is kept.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IOptions<HttpFrontendOptions> options)
{
    private readonly string _policy = options.Value.ContentSecurityPolicy;

    /// <summary>Registers the headers for this request's response, then runs the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var (response, policy) = ((HttpResponse, string))state;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy)) headers.ContentSecurityPolicy = policy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        }, (context.Response, _policy));
        return next(context);
    }
}
