using System.Net;
using Mail.Frontends.Http.Errors;
using Mail.Frontends.Http.Pipeline;
using Mail.Grains.Interfaces.Bulk;

namespace Mail.Frontends.Http.Api;

/// <summary>
/// One-click unsubscribe, RFC 8058: the HTTPS URI of a marketing message's List-Unsubscribe field. POST with the body
/// "List-Unsubscribe=One-Click" suppresses the recipient for the sending tenant with no login and no cookie (§3.2: the
/// mail receiver posts on the user's behalf). GET never unsubscribes (link scanners fetch URIs) but shows a page whose
/// button makes that POST.
/// </summary>
public static class UnsubscribeEndpoints
{
    /// <summary>The page may style itself and post its form to itself, nothing else.</summary>
    private const string PagePolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private const string Style = "body{font-family:system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em}button{font-size:1em;padding:.5em 1em}";

    /// <summary>Maps the endpoints (anonymous).</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/unsubscribe/{token}", async (string token, HttpContext http, IGrainFactory grains) =>
        {
            var target = await grains.GetGrain<IUnsubscribeGrain>(0).CheckAsync(token);
            if (target is null) return Page(http, StatusCodes.Status404NotFound, "Link not valid", "<p>This unsubscribe link is not valid.</p>");
            return Page(http, StatusCodes.Status200OK, "Unsubscribe",
                $"<p>Stop mail from this sender to <strong>{WebUtility.HtmlEncode(target.Address)}</strong>?</p>" +
                "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\"><button type=\"submit\">Unsubscribe</button></form>");
        }).WithName("UnsubscribePage").AllowAnonymous();

        v1.MapPost("/unsubscribe/{token}", async (string token, HttpContext http, IGrainFactory grains) =>
        {
            // RFC 8058 §3.1: the body is "List-Unsubscribe=One-Click", as application/x-www-form-urlencoded or multipart/form-data.
            if (!http.Request.HasFormContentType || (await http.Request.ReadFormAsync())["List-Unsubscribe"] != "One-Click")
            {
                return Problems.BadRequest("The body must be the form field List-Unsubscribe=One-Click (RFC 8058).");
            }
            var target = await grains.GetGrain<IUnsubscribeGrain>(0).UnsubscribeAsync(token);
            return target is null
                ? Page(http, StatusCodes.Status404NotFound, "Link not valid", "<p>This unsubscribe link is not valid.</p>")
                : Page(http, StatusCodes.Status200OK, "Unsubscribed",
                    $"<p><strong>{WebUtility.HtmlEncode(target.Address)}</strong> will get no more mail from this sender.</p>");
        }).WithName("Unsubscribe").AllowAnonymous().WithBodyLimit(BodyLimit.Credentials);
    }

    private static IResult Page(HttpContext http, int status, string title, string body)
    {
        http.Response.Headers.ContentSecurityPolicy = PagePolicy;
        http.Response.Headers.CacheControl = "no-store";
        var html = $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
                   $"<title>{title}</title><style>{Style}</style></head><body><h1>{title}</h1>{body}</body></html>";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
