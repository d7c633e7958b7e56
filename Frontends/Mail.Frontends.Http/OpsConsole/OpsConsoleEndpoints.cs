using Microsoft.Net.Http.Headers;

namespace Mail.Frontends.Http.OpsConsole;

/// <summary>
/// GET /ops: the operator console, static files only (HTML, ES modules, CSS, Chart.js). The page holds no secret and reads
/// nothing itself: it calls /v1/admin/* with the admin token an operator types in, so serving it needs no credential.
/// </summary>
public static class OpsConsoleEndpoints
{
    /// <summary>Where the console lives.</summary>
    public const string BasePath = "/ops";

    /// <summary>Maps the console unless <see cref="OpsConsoleOptions.Enabled"/> is off.</summary>
    public static void Map(IEndpointRouteBuilder app, OpsConsoleOptions options)
    {
        if (!options.Enabled) return;
        var assets = OpsConsoleAssets.Load();
        var policy = options.ContentSecurityPolicy;

        app.MapGet(BasePath + "/{**path}", (string? path, HttpContext context) =>
        {
            var response = context.Response;
            response.Headers.ContentSecurityPolicy = policy;
            // The page's URLs are relative to /ops/, so the bare path (which this route matches too) redirects there.
            if (string.IsNullOrEmpty(path) && context.Request.Path.Value?.EndsWith('/') != true)
            {
                return Results.Redirect(context.Request.PathBase + BasePath + "/");
            }
            if (assets.Find(path) is not { } asset) return Results.NotFound();
            // Revalidated on every load (the ETag makes that a 304), so an upgraded host never runs a stale script.
            response.Headers.CacheControl = "no-cache";
            response.Headers.ETag = asset.ETag;
            if (context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Tag.Equals(asset.ETag)))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }
            return Results.Bytes(asset.Bytes, asset.ContentType);
        }).AllowAnonymous().ExcludeFromDescription();
    }
}
