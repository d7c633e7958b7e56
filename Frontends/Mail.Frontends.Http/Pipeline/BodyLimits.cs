using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http.Pipeline;

/// <summary>
/// Gives each endpoint its own request-body limit (<see cref="BodyLimit"/> metadata, or a byte count of the endpoint's own
/// setting; Kestrel's server-wide limit is the small default). A declared Content-Length over the limit is answered 413 before anything reads the body; a chunked
/// body is cut off at the limit by Kestrel, which the exception handler also answers 413 (RFC 9110 §15.5.14).
/// </summary>
public sealed class BodyLimits(RequestDelegate next, IOptions<HttpFrontendOptions> options)
{
    private readonly HttpFrontendOptions _options = options.Value;

    /// <summary>The bytes a body may have under <paramref name="limit"/>.</summary>
    public static long BytesOf(BodyLimit limit, HttpFrontendOptions options) => limit switch
    {
        BodyLimit.Credentials => options.MaxCredentialBodyBytes,
        BodyLimit.Message => options.MaxSendBodyBytes,
        _ => options.MaxBodyBytes,
    };

    /// <summary>Sets this request's limit and refuses a body declared larger.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<BodyLimitMetadata>();
        var limit = metadata?.Bytes ?? BytesOf(metadata?.Limit ?? BodyLimit.Default, _options);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        if (context.Request.ContentLength > limit)
        {
            // The body is not read: the connection closes after the answer rather than draining it.
            context.Response.Headers.Connection = "close";
            await Results.Problem($"The request body is {context.Request.ContentLength} bytes; this endpoint takes at most {limit}.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large").ExecuteAsync(context);
            return;
        }
        await next(context);
    }
}
