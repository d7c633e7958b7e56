using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Mail.Frontends.Http.Auth;

/// <summary>
/// The webmail's login: a short-lived access token in an HttpOnly, SameSite=Strict cookie (Secure over TLS), so page
/// script never holds it, and a CSRF token bound into that access token ("csrf" claim) that every state-changing request
/// must echo in <see cref="CsrfHeader"/>. SameSite=Strict already keeps other sites' requests from carrying the cookie;
/// the header is the second lock (a same-site page on another port, a browser without SameSite).
/// </summary>
public static class BrowserSession
{
    /// <summary>Authentication scheme of requests that carry the session cookie and no Authorization or API key header.</summary>
    public const string SchemeName = "session";

    /// <summary>Name of the cookie that holds the access token.</summary>
    public const string CookieName = "mail_session";

    /// <summary>Path the cookie is sent on: the API only, never the static files.</summary>
    public const string CookiePath = "/v1";

    /// <summary>Header that must repeat the session's CSRF token on every request that is not GET, HEAD or OPTIONS.</summary>
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>Claim that carries the CSRF token inside the session's access token.</summary>
    public const string CsrfClaim = "csrf";

    /// <summary>A new random CSRF token (256 bits, base64url).</summary>
    public static string NewCsrfToken() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether a request should be authenticated from the cookie: it has one and names no other credential.</summary>
    public static bool IsCookieRequest(HttpRequest request) =>
        request.Cookies.ContainsKey(CookieName) && string.IsNullOrEmpty(request.Headers.Authorization) && !request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header);

    /// <summary>Sets the session cookie on the response; it lives as long as the token inside it.</summary>
    public static void SetCookie(HttpContext http, string token, TimeSpan lifetime) =>
        http.Response.Cookies.Append(CookieName, token, CookieOptions(http, DateTimeOffset.UtcNow.Add(lifetime)));

    /// <summary>Expires the session cookie.</summary>
    public static void ClearCookie(HttpContext http) =>
        http.Response.Cookies.Delete(CookieName, CookieOptions(http, DateTimeOffset.UnixEpoch));

    /// <summary>The JwtBearer events of the session scheme: the token comes from the cookie, and must carry a CSRF claim that unsafe methods repeat.</summary>
    public static JwtBearerEvents Events() => new()
    {
        OnMessageReceived = context =>
        {
            context.Token = context.Request.Cookies[CookieName];
            return Task.CompletedTask;
        },
        OnTokenValidated = async context =>
        {
            var expected = context.Principal!.FindFirst(CsrfClaim)?.Value;
            if (string.IsNullOrEmpty(expected))
            {
                context.Fail("The session cookie carries no CSRF token.");
                return;
            }
            var method = context.Request.Method;
            if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method)
                && !FixedTimeEquals(context.Request.Headers[CsrfHeader].ToString(), expected))
            {
                context.Fail($"A state-changing request with the session cookie must repeat its CSRF token in {CsrfHeader}.");
                return;
            }
            await TokenRevocation.CheckAsync(context);
        },
    };

    private static CookieOptions CookieOptions(HttpContext http, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = CookiePath,
        Expires = expires,
        IsEssential = true,
    };

    private static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
