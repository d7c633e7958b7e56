using Mail.Frontends.Http.Pipeline;

namespace Mail.Frontends.Http.Webmail;

/// <summary>
/// GET /: the webmail, a single-page app built by Vite (Frontends/Mail.Webmail) and embedded in this assembly. Static
/// files only; the page talks to the server through /v1 and the hub with its session cookie. Vite names every file under
/// assets/ by its content hash, so those are cached for a year; the page itself is revalidated on every load.
/// </summary>
public static class WebmailEndpoints
{
    /// <summary>Maps the webmail unless <see cref="WebmailOptions.Enabled"/> is off.</summary>
    public static void Map(IEndpointRouteBuilder app, WebmailOptions options)
    {
        if (!options.Enabled) return;
        var assets = EmbeddedAssets.Load("webmail", ["index.html"], "run `npm ci && npm run build` in Frontends/Mail.Webmail (infra/run.sh does).");
        var policy = options.ContentSecurityPolicy;

        // The catch-all has the lowest route precedence, so /v1, /ops, /health and /openapi keep their own endpoints.
        app.MapGet("/{**path}", (string? path, HttpContext context) =>
        {
            if (path is not null && (path.StartsWith("v1/", StringComparison.Ordinal) || path == "v1")) return Results.NotFound();
            if (assets.Find(path) is not { } asset) return Results.NotFound();
            context.Response.Headers.ContentSecurityPolicy = policy;
            var immutable = path?.StartsWith("assets/", StringComparison.Ordinal) == true;
            return EmbeddedAssets.Serve(context, asset, immutable ? "public, max-age=31536000, immutable" : "no-cache");
        }).AllowAnonymous().ExcludeFromDescription();
    }
}
