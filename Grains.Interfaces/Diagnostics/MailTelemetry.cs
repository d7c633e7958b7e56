using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mail.Grains.Interfaces.Diagnostics;

/// <summary>
/// The mail service's own meter and activity source, both named <see cref="Name"/>: the counters the frontends and grains
/// record into and the spans that follow one message from SMTP through the delivery agent to the mailbox row and the
/// outbound queue. The host exports them (OpenTelemetry: /metrics, OTLP); without a listener they cost next to nothing.
/// </summary>
public static class MailTelemetry
{
    /// <summary>Name of the meter and of the activity source.</summary>
    public const string Name = "Mail";

    /// <summary>Spans: smtp.data, delivery.submit, mailbox.deliver, outbound.enqueue.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>The meter of every instrument below.</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>Recipients handled by the delivery agent, tagged result (delivered, queued, rejected, suppressed).</summary>
    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("mail.deliveries", "{recipient}", "Recipients handled by the delivery agent, by result");

    /// <summary>Protocol connections, tagged protocol and admission (admitted, or the refusal).</summary>
    public static readonly Counter<long> Sessions = Meter.CreateCounter<long>("mail.protocol.sessions", "{session}", "Protocol connections by protocol and admission");

    /// <summary>Protocol sessions open now, tagged protocol.</summary>
    public static readonly UpDownCounter<long> ActiveSessions = Meter.CreateUpDownCounter<long>("mail.protocol.sessions.active", "{session}", "Protocol sessions open now");

    /// <summary>Error replies (4xx/5xx, NO/BAD, -ERR), tagged protocol and command.</summary>
    public static readonly Counter<long> CommandErrors = Meter.CreateCounter<long>("mail.protocol.command_errors", "{reply}", "Error replies by protocol and command");

    /// <summary>
    /// Counts one error reply in <see cref="CommandErrors"/>. <paramref name="command"/> must come from a bounded set (a
    /// command the protocol's handler set knows, upper case, or "unknown") so a client cannot grow the label cardinality.
    /// </summary>
    public static void CommandError(string protocol, string command) =>
        CommandErrors.Add(1, new KeyValuePair<string, object?>("protocol", protocol), new KeyValuePair<string, object?>("command", command));

    /// <summary>Failed credential checks, tagged use (password, app password or API key).</summary>
    public static readonly Counter<long> AuthFailures = Meter.CreateCounter<long>("mail.auth.failures", "{attempt}", "Failed credential checks");

    /// <summary>Blob store calls, tagged operation (put, read, delete) and outcome (ok, error).</summary>
    public static readonly Histogram<double> BlobDuration = Meter.CreateHistogram<double>("mail.blob.duration", "s", "Blob store call duration");
}
