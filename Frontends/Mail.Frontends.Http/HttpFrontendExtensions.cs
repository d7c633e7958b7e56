using Mail.Frontends.Hosting;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mail.Frontends.Http.Api;
using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Frontends.Http.Pipeline;
using Mail.Frontends.Http.Push;
using Mail.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http;

/// <summary>Composes the HTTP frontend: HTTP and HTTPS endpoints, REST API v1, the push hub, the operator console, authentication, rate limits, body limits, security headers, problem+json errors, OpenAPI and /health.</summary>
public static class HttpFrontendExtensions
{
    private const string UserScheme = "user";

    /// <summary>
    /// Registers the frontend's services and its Kestrel endpoints (HTTPS with <paramref name="certificate"/>, the one
    /// the mail protocols present); secrets default to files under <paramref name="dataDir"/>.
    /// </summary>
    public static WebApplicationBuilder AddMailHttpFrontend(this WebApplicationBuilder builder, string dataDir, X509Certificate2 certificate)
    {
        var section = builder.Configuration.GetSection("Mail:Http");
        var options = section.Get<HttpFrontendOptions>() ?? new HttpFrontendOptions();
        builder.Services.Configure<HttpFrontendOptions>(section);
        builder.Services.Configure<Bulk.BulkApiOptions>(builder.Configuration.GetSection(Bulk.BulkApiOptions.Section));
        builder.Services.Configure<Import.AccountImportOptions>(builder.Configuration.GetSection(Import.AccountImportOptions.Section));
        var listen = HttpListeners.Create(options, certificate);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Listen, not UseUrls: the protocol frontends add their own endpoints, and Kestrel ignores
            // URLs once any endpoint is configured explicitly.
            listen(kestrel);
            kestrel.AddServerHeader = false;
            // The server-wide limit is the small one; BodyLimits raises it for the endpoints that take more.
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
        });

        var adminToken = options.AdminToken ?? SecretFile.ReadOrCreateToken(Path.Combine(dataDir, "admin-token"), "the admin token file", AdminToken.MinLength);
        builder.Services.AddSingleton(new AdminToken(AdminToken.Checked(adminToken, options.AdminToken is null ? Path.Combine(dataDir, "admin-token") : null)));
        builder.Services.AddSingleton(sp => new AdminPageSession(sp.GetRequiredService<AdminToken>(),
            TimeSpan.FromMinutes(options.Ops.PageSessionMinutes), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        var issuer = new TokenIssuer(SecretFile.ReadOrCreate(Path.Combine(dataDir, "jwt-signing.key"), 32, "the token signing key file", () => RandomNumberGenerator.GetBytes(32)),
            TimeSpan.FromMinutes(options.TokenLifetimeMinutes));
        builder.Services.AddSingleton(issuer);
        builder.Services.AddSingleton<IBearerTokenVerifier, BearerTokenVerifier>();

        builder.Services.AddAuthentication(UserScheme)
            .AddPolicyScheme(UserScheme, "Bearer token, API key or browser session", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.KeyOf(context.Request) is not null ? ApiKeyAuthenticationHandler.SchemeName
                : BrowserSession.IsCookieRequest(context.Request) ? BrowserSession.SchemeName
                : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = issuer.ValidationParameters();
                o.Events = new JwtBearerEvents { OnTokenValidated = TokenRevocation.CheckAsync, OnMessageReceived = MailboxHubToken.Read };
            })
            .AddJwtBearer(BrowserSession.SchemeName, o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = issuer.ValidationParameters();
                o.Events = BrowserSession.Events();
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization(ScopePolicies.Add);
        // The limiters themselves are the two option sets MapMailHttpFrontend hands to its two UseRateLimiter calls.
        builder.Services.AddRateLimiter(_ => { });

        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.AddMailboxHub();
        return builder;
    }

    /// <summary>
    /// Adds the middleware and maps every endpoint. Order matters: the security headers come first so that every answer
    /// carries them; the client is named (forwarded headers) before anything keys on its address; the per-client limit
    /// runs before authentication, and the body limit before anything reads a body.
    /// </summary>
    public static WebApplication MapMailHttpFrontend(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<HttpFrontendOptions>>().Value;
        app.UseMiddleware<SecurityHeaders>();
        app.UseForwardedHeaders(ForwardedClients.Options(options.KnownProxies));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter(RequestRateLimits.PerClient(options.RateLimit));
        app.UseMiddleware<BodyLimits>();
        app.UseAuthentication();
        app.UseRateLimiter(RequestRateLimits.PerAccount(options.RateLimit));
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
        SessionEndpoints.Map(v1);
        DraftEndpoints.Map(v1);
        SendEndpoints.Map(v1);
        EmailEndpoints.Map(v1);
        FolderEndpoints.Map(v1);
        ThreadEndpoints.Map(v1);
        LabelEndpoints.Map(v1);
        SieveEndpoints.Map(v1);
        ChangeEndpoints.Map(v1);
        AccountEndpoints.Map(v1);
        BulkEndpoints.Map(v1, app.Services.GetRequiredService<IOptions<Bulk.BulkApiOptions>>().Value);
        UnsubscribeEndpoints.Map(v1);
        var admin = AdminEndpoints.Map(v1);
        OpsConsole.PageSessionEndpoints.Map(admin);
        Import.AccountImportEndpoints.Map(admin, app.Services.GetRequiredService<IOptions<Import.AccountImportOptions>>().Value);
        OutboundEndpoints.Map(v1, admin);
        IpPoolEndpoints.Map(admin);
        TenantReputationEndpoints.Map(admin);
        SearchEndpoints.Map(v1, admin);
        SuppressionEndpoints.Map(v1);
        WebhookEndpoints.Map(v1);
        OpsConsole.OpsConsoleEndpoints.Map(app, options.Ops);
        app.MapMailboxHub();
        Webmail.WebmailEndpoints.Map(app, options.Webmail);
        return app;
    }
}
