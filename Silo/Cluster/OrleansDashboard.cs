using Mail.Frontends.Http.Auth;
using Microsoft.Extensions.Configuration;
using Orleans.Dashboard;

namespace Mail.Silo.Cluster;

/// <summary>
/// The Orleans Dashboard (Microsoft.Orleans.Dashboard) under <see cref="Path"/>, behind the operator console's admin login:
/// every asset and data endpoint takes the admin token or the console's page session cookie (<see cref="AdminPageSession"/>),
/// answers with its own Content-Security-Policy, and grain state inspection is refused unless allowed. Silos collect the
/// figures; any process with the HTTP frontend, a frontend-only one too, serves the pages.
/// </summary>
public static class OrleansDashboard
{
    /// <summary>Configuration section: <see cref="DashboardSettings"/> and Orleans' own <see cref="DashboardOptions"/>.</summary>
    public const string Section = "Mail:Cluster:Dashboard";

    /// <summary>Where the dashboard is served.</summary>
    public const string Path = AdminPageSession.BasePath + "/dashboard";

    /// <summary>The settings bound from <see cref="Section"/>.</summary>
    public static DashboardSettings Settings(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<DashboardSettings>() ?? new DashboardSettings();

    /// <summary>Collects the dashboard's figures on this silo (call on every silo, or the pages show only some).</summary>
    public static ISiloBuilder AddMailDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (!Settings(configuration).Enabled) return silo;
        silo.AddDashboard(Defaults);
        silo.Services.Configure<DashboardOptions>(configuration.GetSection(Section));
        return silo;
    }

    /// <summary>Lets a frontend-only process serve the pages from the silos' figures.</summary>
    public static IClientBuilder AddMailDashboard(this IClientBuilder client, IConfiguration configuration)
    {
        if (!Settings(configuration).Enabled) return client;
        client.AddDashboard(Defaults);
        client.Services.Configure<DashboardOptions>(configuration.GetSection(Section));
        return client;
    }

    /// <summary>Maps the pages and their data endpoints under <see cref="Path"/>, each behind the admin login.</summary>
    public static void MapMailDashboard(this WebApplication app, IConfiguration configuration)
    {
        var settings = Settings(configuration);
        if (!settings.Enabled) return;
        app.MapOrleansDashboard(Path)
            .AllowAnonymous()
            .AddEndpointFilter(AdminPageSession.RequireAdmin)
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                http.Response.Headers.ContentSecurityPolicy = settings.ContentSecurityPolicy;
                http.Response.Headers.CacheControl = "no-store";
                // Grain state holds credentials (password hashes, API key digests) and mail metadata.
                if (!settings.AllowGrainState && http.Request.Path.StartsWithSegments(Path + "/GrainState", StringComparison.OrdinalIgnoreCase))
                {
                    return Results.Problem("Grain state inspection is off (Mail:Cluster:Dashboard:AllowGrainState).",
                        statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
                }
                return await next(context);
            })
            .ExcludeFromDescription();
    }

    // The live log stream is off unless asked for: log lines name accounts and message ids.
    private static void Defaults(DashboardOptions options) => options.HideTrace = true;
}

/// <summary>The host's dashboard settings, bound from "Mail:Cluster:Dashboard" (beside Orleans' <see cref="DashboardOptions"/>).</summary>
public sealed class DashboardSettings
{
    /// <summary>Collect figures on silos and serve the pages; when false nothing of the dashboard runs and its path is 404.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Answer /GrainState (a grain's stored state, as JSON); off, since state holds password hashes and key digests.</summary>
    public bool AllowGrainState { get; set; }

    /// <summary>
    /// The pages' Content-Security-Policy: their own scripts, styles, fonts and data calls only, no framing, no forms. The
    /// dashboard's bundle sets styles from script, hence 'unsafe-inline' for styles alone.
    /// </summary>
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
}
