using Mail.Frontends.Hosting;
using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Frontends.Http.Pipeline;
using Mail.Frontends.Http.Webmail;
using Mail.Grains.Interfaces.Accounts;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http.Api;

/// <summary>
/// /v1/auth/session: the browser's login (see <see cref="BrowserSession"/>). POST logs in with the account password
/// (never an app password or an API key) through the same throttled check as the mail protocols and sets the cookie;
/// GET tells the page who is logged in and its CSRF token (after a reload); POST /refresh extends a live session;
/// DELETE logs out.
/// </summary>
public static class SessionEndpoints
{
    /// <summary>Body of the login.</summary>
    public sealed record SessionRequest(string? Username, string? Password);

    /// <summary>A live session: who, the CSRF token to repeat, and when it ends unless refreshed.</summary>
    public sealed record SessionView(string Address, string CsrfToken, DateTimeOffset ExpiresAt);

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/auth/session", async (SessionRequest request, HttpContext http, CredentialVerifier verifier, TokenIssuer issuer,
            IOptions<HttpFrontendOptions> options) =>
        {
            var (account, problem) = await PasswordLogin.VerifyAsync(request.Username, request.Password, http, verifier);
            if (account is null) return problem!;
            return Issue(http, issuer, account, BrowserSession.NewCsrfToken(), options.Value.Webmail);
        }).AllowAnonymous().WithName("CreateSession").WithBodyLimit(BodyLimit.Credentials);

        v1.MapGet("/auth/session", (HttpContext http) =>
        {
            var csrf = http.User.FindFirst(BrowserSession.CsrfClaim)?.Value;
            if (csrf is null) return Problems.NotFound("This request is not authenticated by a browser session.");
            var expires = long.TryParse(http.User.FindFirst("exp")?.Value, out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : DateTimeOffset.UtcNow;
            return Results.Ok(new SessionView(MailUser.From(http.User).Address, csrf, expires));
        }).WithName("GetSession").RequireAuthorization(ScopePolicies.Read);

        v1.MapPost("/auth/session/refresh", async (HttpContext http, IGrainFactory grains, TokenIssuer issuer, IOptions<HttpFrontendOptions> options) =>
        {
            var csrf = http.User.FindFirst(BrowserSession.CsrfClaim)?.Value;
            if (csrf is null) return Problems.NotFound("This request is not authenticated by a browser session.");
            var account = await grains.GetGrain<IAccountGrain>(MailUser.From(http.User).AccountId).GetAsync();
            if (account is null || account.Suspended) return Problems.Unauthorized("The account is gone or suspended.");
            return Issue(http, issuer, account, csrf, options.Value.Webmail);
        }).WithName("RefreshSession").RequireAuthorization(ScopePolicies.Full);

        v1.MapDelete("/auth/session", (HttpContext http) =>
        {
            BrowserSession.ClearCookie(http);
            return Results.NoContent();
        }).AllowAnonymous().WithName("DeleteSession");
    }

    private static IResult Issue(HttpContext http, TokenIssuer issuer, AccountInfo account, string csrf, WebmailOptions options)
    {
        var lifetime = TimeSpan.FromMinutes(options.SessionMinutes);
        BrowserSession.SetCookie(http, issuer.Issue(account, lifetime, csrf), lifetime);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok(new SessionView(account.Address, csrf, DateTimeOffset.UtcNow.Add(lifetime)));
    }
}
