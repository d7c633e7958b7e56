using Mail.Frontends.Http.Pipeline;

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
        var assets = EmbeddedAssets.Load("ops", ["index.html", "vendor/chart.umd.js"], "run `npm ci` in Frontends/Mail.Frontends.Http/ops (infra/run.sh does).");
        var policy = options.ContentSecurityPolicy;

        app.MapGet(BasePath + "/{**path}", (string? path, HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = policy;
            // The page's URLs are relative to /ops/, so the bare path (which this route matches too) redirects there.
            if (string.IsNullOrEmpty(path) && context.Request.Path.Value?.EndsWith('/') != true)
            {
                return Results.Redirect(context.Request.PathBase + BasePath + "/");
            }
            // Revalidated on every load (the ETag makes that a 304), so an upgraded host never runs a stale script.
            return assets.Find(path) is { } asset ? EmbeddedAssets.Serve(context, asset, "no-cache") : Results.NotFound();
        }).AllowAnonymous().ExcludeFromDescription();
    }
}
