using Mail.Frontends.Hosting;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.RateLimiting;
using Mail.Frontends.Http.Api;
using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mail.Frontends.Http;

/// <summary>Composes the HTTP frontend: REST API v1, authentication, rate limits, problem+json errors, OpenAPI and /health.</summary>
public static class HttpFrontendExtensions
{
    private const string UserScheme = "user";

    /// <summary>Registers the frontend's services; secrets default to files under <paramref name="dataDir"/>.</summary>
    public static WebApplicationBuilder AddMailHttpFrontend(this WebApplicationBuilder builder, string dataDir)
    {
        var section = builder.Configuration.GetSection("Mail:Http");
        var options = section.Get<HttpFrontendOptions>() ?? new HttpFrontendOptions();
        builder.Services.Configure<HttpFrontendOptions>(section);
        var url = new Uri(options.Url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Listen, not UseUrls: the protocol frontends add their own endpoints, and Kestrel ignores
            // URLs once any endpoint is configured explicitly.
            kestrel.Listen(url.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(url.Host), url.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
        });

        var adminToken = options.AdminToken ?? SecretFile.ReadOrCreateToken(Path.Combine(dataDir, "admin-token"), "the admin token file", AdminToken.MinLength);
        builder.Services.AddSingleton(new AdminToken(AdminToken.Checked(adminToken, options.AdminToken is null ? Path.Combine(dataDir, "admin-token") : null)));
        var issuer = new TokenIssuer(SecretFile.ReadOrCreate(Path.Combine(dataDir, "jwt-signing.key"), 32, "the token signing key file", () => RandomNumberGenerator.GetBytes(32)),
            TimeSpan.FromMinutes(options.TokenLifetimeMinutes));
        builder.Services.AddSingleton(issuer);

        builder.Services.AddAuthentication(UserScheme)
            .AddPolicyScheme(UserScheme, "Bearer token or API key", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.KeyOf(context.Request) is null ? JwtBearerDefaults.AuthenticationScheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = issuer.ValidationParameters();
                o.Events = new JwtBearerEvents { OnTokenValidated = TokenRevocation.CheckAsync };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization(ScopePolicies.Add);

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    RateLimitPartition.GetFixedWindowLimiter($"ip:{context.Connection.RemoteIpAddress ?? IPAddress.None}",
                        _ => Window(options.RateLimit.PerIpPerMinute))),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    context.User.FindFirst("sub")?.Value is { } account
                        ? RateLimitPartition.GetFixedWindowLimiter($"account:{account}", _ => Window(options.RateLimit.PerAccountPerMinute))
                        : RateLimitPartition.GetNoLimiter("anonymous")));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem($"Rate limit exceeded; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(context.HttpContext);
            };
        });

        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>Adds the middleware and maps every endpoint.</summary>
    public static WebApplication MapMailHttpFrontend(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        var readiness = app.Services.GetRequiredService<ReadinessState>();
        app.Lifetime.ApplicationStarted.Register(() => readiness.MarkReady(ReadinessState.Http));
        app.MapGet("/health", () => readiness.IsReady
                ? Results.Ok(new { status = "ready", parts = readiness.Parts })
                : Results.Json(new { status = "starting", parts = readiness.Parts }, statusCode: StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous().DisableRateLimiting();
        app.MapOpenApi().AllowAnonymous();

        var v1 = app.MapGroup("/v1").RequireAuthorization();
        AuthEndpoints.Map(v1);
        SendEndpoints.Map(v1);
        EmailEndpoints.Map(v1);
        FolderEndpoints.Map(v1);
        AccountEndpoints.Map(v1);
        var admin = AdminEndpoints.Map(v1);
        OutboundEndpoints.Map(v1, admin);
        return app;
    }

    private static FixedWindowRateLimiterOptions Window(int permitsPerMinute) => new()
    {
        PermitLimit = permitsPerMinute,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };
}
