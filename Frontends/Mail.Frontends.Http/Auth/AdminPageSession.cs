using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mail.Frontends.Http.Errors;

namespace Mail.Frontends.Http.Auth;

/// <summary>
/// The admin login of browser pages under <see cref="BasePath"/> (the Orleans Dashboard): pages a browser opens by
/// navigation, whose own scripts send no Authorization header. The operator console, holding the admin token, asks for a
/// session (POST /v1/admin/page-session) and gets an HttpOnly, SameSite=Strict cookie scoped to <see cref="BasePath"/>
/// that names its expiry and carries an HMAC over it under a key derived from the admin token, so every process sharing
/// the token accepts it and a new token ends every session. The cookie admits reads only (GET, HEAD): what it unlocks
/// cannot change anything, whoever makes the browser send it.
/// </summary>
public sealed class AdminPageSession(AdminToken adminToken, TimeSpan lifetime, TimeProvider clock)
{
    /// <summary>Where the admin pages live; the cookie is sent on this path only.</summary>
    public const string BasePath = "/admin";

    /// <summary>Name of the session cookie.</summary>
    public const string CookieName = "mail_admin_page";

    private const string Version = "v1";
    private readonly byte[] _key = adminToken.DeriveKey("admin page session " + Version);

    /// <summary>How long a session lasts.</summary>
    public TimeSpan Lifetime => lifetime;

    /// <summary>Sets a new session cookie on the response and returns when it expires.</summary>
    public DateTimeOffset Open(HttpContext http)
    {
        var expires = clock.GetUtcNow().Add(lifetime);
        var seconds = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        http.Response.Cookies.Append(CookieName, $"{Version}.{seconds}.{Mac(seconds)}", CookieOptions(http, expires));
        return DateTimeOffset.FromUnixTimeSeconds(long.Parse(seconds, CultureInfo.InvariantCulture));
    }

    /// <summary>Expires the session cookie.</summary>
    public static void Close(HttpContext http) => http.Response.Cookies.Delete(CookieName, CookieOptions(http, DateTimeOffset.UnixEpoch));

    /// <summary>Whether the request carries a session cookie this server issued and that has not expired.</summary>
    public bool IsPresentedBy(HttpRequest request)
    {
        if (request.Cookies[CookieName] is not { } value) return false;
        var parts = value.Split('.');
        if (parts.Length != 3 || parts[0] != Version || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)) return false;
        var expected = Encoding.ASCII.GetBytes(Mac(parts[1]));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[2]), expected)
            && expiry > clock.GetUtcNow().ToUnixTimeSeconds();
    }

    /// <summary>
    /// The endpoint filter of every admin page: the admin token (header or Bearer, for scripts) or, for reads, the session
    /// cookie. Anything else is refused: 401 without credentials, 403 for a signed-in user who is not the operator.
    /// </summary>
    public static async ValueTask<object?> RequireAdmin(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        if (services.GetRequiredService<AdminToken>().IsPresentedBy(http.Request)) return await next(context);
        var readOnly = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
        if (readOnly && services.GetRequiredService<AdminPageSession>().IsPresentedBy(http.Request)) return await next(context);
        return http.User.Identity?.IsAuthenticated == true
            ? Problems.Forbidden("This page is for operators: log in to the operator console (/ops) with the admin token.")
            : Problems.Unauthorized($"This page needs the admin token: log in to the operator console (/ops), or send it in {AdminToken.Header}.");
    }

    private string Mac(string seconds) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes($"{Version}.{seconds}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static CookieOptions CookieOptions(HttpContext http, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = BasePath,
        Expires = expires,
        IsEssential = true,
    };
}
