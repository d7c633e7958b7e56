namespace Mail.Silo.Telemetry;

/// <summary>Metrics and traces, bound from "Mail:Telemetry".</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mail:Telemetry";

    /// <summary>Serve Prometheus metrics at <see cref="MetricsPath"/> (admin token required).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Path of the Prometheus scrape endpoint on the HTTP listener.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>OTLP endpoint (e.g. http://collector:4317) for traces and metrics; none by default.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Seconds between reads of the outbound queue gauges.</summary>
    public int QueueGaugeSeconds { get; set; } = 15;
}
