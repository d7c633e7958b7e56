using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Mail.Grains.Outbound;
using Mail.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mail.Grains.Reputation.Webhooks;

/// <summary>
/// Delivers the webhook outbox (one per silo; several share it through <c>FOR UPDATE SKIP LOCKED</c> leases): POSTs
/// each due event, signed (<see cref="WebhookSignature"/>), to its endpoint; a 2xx answer delivers it, anything else
/// (another status, a timeout, a refused connection) retries with exponential backoff and jitter until the retry
/// period ends, then gives it up. Every attempt is logged. It sleeps until the next delivery comes due or a producer's
/// insert NOTIFYs it. Order between events is not kept: each carries its own time.
/// </summary>
public sealed class WebhookDispatcher : RestartingService
{
    /// <summary>The longest sleep: a safety net for a lost notification.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(30);

    /// <summary>How much of a failed answer's body is kept in the log.</summary>
    private const int MaxLoggedBody = 200;

    private readonly NpgsqlDataSource _dataSource;
    private readonly WebhookDeliveryStore _store;
    private readonly WebhookOptions _options;
    private readonly MailClock _clock;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly RetrySchedule _schedule;
    private readonly HttpClient _http;

    /// <summary>Creates the dispatcher with an HTTP client that connects only where <paramref name="targets"/> allows.</summary>
    public WebhookDispatcher(NpgsqlDataSource dataSource, WebhookDeliveryStore store, WebhookTargets targets, IOptions<WebhookOptions> options,
        MailClock clock, ILogger<WebhookDispatcher> logger)
        : base("Webhook dispatcher")
    {
        _dataSource = dataSource;
        _store = store;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _schedule = new RetrySchedule(TimeSpan.FromSeconds(_options.MinimalBackoffSeconds), TimeSpan.FromSeconds(_options.MaximalBackoffSeconds),
            TimeSpan.FromHours(_options.RetryHours));
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = targets.ConnectAsync,
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = Math.Max(1, _options.Concurrency),
        })
        {
            Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds),
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("mail-webhooks", "1"));
    }

    /// <inheritdoc />
    protected override ILogger Logger => _logger;

    /// <inheritdoc />
    protected override bool Enabled => _options.Enabled;

    /// <inheritdoc />
    protected override async Task RunAsync(CancellationToken ct)
    {
        await using var listener = await _dataSource.OpenConnectionAsync(ct);
        await using (var listen = new NpgsqlCommand($"LISTEN {WebhookOutbox.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }
        while (!ct.IsCancellationRequested)
        {
            var leased = await _store.LeaseDueAsync(_options.BatchSize, TimeSpan.FromSeconds(_options.LeaseSeconds));
            if (leased.Count > 0)
            {
                var results = new DeliveryResult[leased.Count];
                await Parallel.ForEachAsync(Enumerable.Range(0, leased.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Concurrency), CancellationToken = ct },
                    async (i, token) => results[i] = await PostAsync(leased[i], token));
                await _store.RecordAsync(results);
                if (leased.Count >= _options.BatchSize) continue;
            }
            var next = await _store.NextDueAsync();
            var sleep = next is null ? MaxSleep : next.Value - _clock.GetUtcNow();
            if (sleep <= TimeSpan.Zero) continue;
            await NotificationWait.WaitAsync(listener, sleep < MaxSleep ? sleep : MaxSleep, ct);
        }
    }

    private async Task<DeliveryResult> PostAsync(PendingDelivery delivery, CancellationToken ct)
    {
        var started = _clock.GetUtcNow();
        if (delivery.Secret is null)
        {
            // Unsigned bodies must never go out: the attempt fails, is logged, and is retried like any other.
            return Result(delivery, started, null, "the endpoint's sealed signing secret does not open; nothing was sent", Stopwatch.StartNew(), delivered: false);
        }
        var body = WebhookBody.For(delivery);
        var timestamp = started.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(delivery.Secret, timestamp, body));
        request.Headers.Add("X-Mail-Event", delivery.Event);
        request.Headers.Add("X-Mail-Delivery", delivery.Id.ToString(CultureInfo.InvariantCulture));
        var watch = Stopwatch.StartNew();
        int? status = null;
        string? error;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return Result(delivery, started, status, null, watch, delivered: true);
            error = await ExcerptAsync(response, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Whatever went wrong is this delivery's failed attempt, logged and retried; it must not stop the batch.
            error = e is TaskCanceledException ? $"no answer within {_options.TimeoutSeconds} s" : e.Message;
        }
        return Result(delivery, started, status, error, watch, delivered: false);
    }

    private DeliveryResult Result(PendingDelivery delivery, DateTimeOffset at, int? status, string? error, Stopwatch watch, bool delivered)
    {
        var duration = (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);
        if (delivered) return new DeliveryResult(delivery.Id, true, at, status, null, duration, null);
        // The last attempt is made when the retry period ends (null after it): one failing then gives the event up.
        var next = _schedule.NextAttempt(delivery.Attempts + 1, _clock.GetUtcNow(), delivery.CreatedAt + _schedule.QueueLifetime, Random.Shared.NextDouble());
        return new DeliveryResult(delivery.Id, false, at, status, error, duration, next);
    }

    private static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var buffer = new byte[MaxLoggedBody];
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0) read += n;
        var text = System.Text.Encoding.UTF8.GetString(buffer, 0, read).Trim();
        return $"HTTP {(int)response.StatusCode}" + (text.Length > 0 ? ": " + text : "");
    }
}
