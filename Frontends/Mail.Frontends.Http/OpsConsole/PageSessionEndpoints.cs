using Mail.Frontends.Http.Auth;

namespace Mail.Frontends.Http.OpsConsole;

/// <summary>
/// POST and DELETE /v1/admin/page-session: the operator console (holding the admin token) opens and closes the cookie
/// session of the admin pages under /admin (<see cref="AdminPageSession"/>), which a browser opens by navigation.
/// </summary>
public static class PageSessionEndpoints
{
    /// <summary>Answer of POST /v1/admin/page-session: where the pages are and when the session ends.</summary>
    public sealed record PageSessionView(string Path, DateTimeOffset ExpiresAt);

    /// <summary>Maps the two endpoints under the admin group (which has checked the token).</summary>
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapPost("/page-session", (HttpContext http, AdminPageSession sessions) =>
            Results.Ok(new PageSessionView(AdminPageSession.BasePath + "/", sessions.Open(http))));
        admin.MapDelete("/page-session", (HttpContext http) =>
        {
            AdminPageSession.Close(http);
            return Results.NoContent();
        });
    }
}
