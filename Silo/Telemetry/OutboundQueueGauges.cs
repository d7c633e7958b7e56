using System.Diagnostics.Metrics;
using Mail.Grains.Interfaces.Diagnostics;
using Npgsql;

namespace Mail.Silo.Telemetry;

/// <summary>
/// Gauges of the outbound queue read from PostgreSQL: rows by state (mail.outbound.messages) and the age of the oldest
/// row still queued (mail.outbound.oldest_queued_age). One query per <see cref="TelemetryOptions.QueueGaugeSeconds"/>,
/// however often /metrics is scraped.
/// </summary>
public sealed class OutboundQueueGauges : BackgroundService
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TelemetryOptions _options;
    private readonly ILogger<OutboundQueueGauges> _logger;
    private volatile Snapshot _last = new(new Dictionary<string, long>(), 0);

    /// <summary>Registers the gauges on the mail meter.</summary>
    public OutboundQueueGauges(NpgsqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<TelemetryOptions> options, ILogger<OutboundQueueGauges> logger)
    {
        _dataSource = dataSource;
        _options = options.Value;
        _logger = logger;
        MailTelemetry.Meter.CreateObservableGauge("mail.outbound.messages",
            () => _last.ByState.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("state", s.Key))), "{message}",
            "Outbound queue rows by state");
        MailTelemetry.Meter.CreateObservableGauge("mail.outbound.oldest_queued_age", () => _last.OldestQueuedSeconds, "s",
            "Age of the oldest outbound row still queued");
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, _options.QueueGaugeSeconds)));
        do
        {
            try
            {
                _last = await ReadAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                _logger.LogWarning(e, "Could not read the outbound queue gauges");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<Snapshot> ReadAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT status, count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'queued')), 0)
            FROM outbound_queue GROUP BY status
            """);
        var byState = new Dictionary<string, long>();
        double oldest = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            byState[reader.GetString(0)] = reader.GetInt64(1);
            oldest = Math.Max(oldest, Convert.ToDouble(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
        }
        return new Snapshot(byState, oldest);
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, long> ByState, double OldestQueuedSeconds);
}
