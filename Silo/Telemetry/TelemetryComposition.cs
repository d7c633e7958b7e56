using Mail.Frontends.Http.Auth;
using Mail.Grains.Interfaces.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mail.Silo.Telemetry;

/// <summary>
/// OpenTelemetry for the host: the mail meter and spans (<see cref="MailTelemetry"/>), Orleans' (grain activations,
/// messaging), Npgsql's (PostgreSQL command durations) and ASP.NET Core's; Prometheus text at Mail:Telemetry:MetricsPath
/// for holders of the admin token, and OTLP export of metrics and traces when an endpoint is configured.
/// </summary>
public static class TelemetryComposition
{
    /// <summary>Meters exported besides the mail meter.</summary>
    public static readonly string[] Meters = ["Microsoft.Orleans", "Npgsql", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>Activity sources traced besides the mail source: Orleans grain calls (which carry the trace across silos) and Npgsql.</summary>
    public static readonly string[] Sources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Npgsql"];

    /// <summary>Registers the providers; <paramref name="silo"/> adds the outbound queue gauges, which read the silo's database.</summary>
    public static WebApplicationBuilder AddMailTelemetry(this WebApplicationBuilder builder, bool silo)
    {
        var section = builder.Configuration.GetSection(TelemetryOptions.Section);
        builder.Services.Configure<TelemetryOptions>(section);
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? null : new Uri(options.OtlpEndpoint);
        if (!options.Enabled && otlp is null) return builder;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("mail", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MailTelemetry.Name).AddMeter(Meters);
                if (options.Enabled) metrics.AddPrometheusExporter();
                if (otlp is not null) metrics.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        // Spans are only worth making when someone receives them.
        if (otlp is not null) telemetry.WithTracing(tracing => tracing.AddSource(MailTelemetry.Name).AddSource(Sources).AddOtlpExporter(o => o.Endpoint = otlp));
        if (silo) builder.Services.AddHostedService<OutboundQueueGauges>();
        return builder;
    }

    /// <summary>Serves the Prometheus scrape endpoint; a request without the admin token gets 401.</summary>
    public static WebApplication UseMailTelemetry(this WebApplication app)
    {
        var options = app.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.Enabled) return app;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: context => context.Request.Path.Equals(options.MetricsPath, StringComparison.Ordinal),
            path: null,
            configureBranchedPipeline: branch => branch.Use(async (context, next) =>
            {
                if (context.RequestServices.GetRequiredService<AdminToken>().IsPresentedBy(context.Request))
                {
                    await next(context);
                    return;
                }
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }),
            optionsName: null);
        return app;
    }
}
