using System.Diagnostics;
using System.Globalization;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// INPROGRESS (RFC 9585 §3): while a command walks many messages, an untagged "OK [INPROGRESS (tag done total)]" at most
/// once per interval, so a client (and any proxy between) sees the command is alive rather than hung. Nothing is sent
/// for a command that finishes within the first interval.
/// </summary>
public sealed class CommandProgress(TimeSpan interval)
{
    private string? _tag;
    private long _last;

    /// <summary>Starts a command: the first report is due one interval after now.</summary>
    public void Start(string tag)
    {
        _tag = tag;
        _last = Stopwatch.GetTimestamp();
    }

    /// <summary>Writes and sends a progress response when one is due (RFC 9585 §3: counter and total, total non-zero).</summary>
    public async Task ReportAsync(ImapSession session, long done, long total, CancellationToken ct)
    {
        if (_tag is null || interval <= TimeSpan.Zero || Stopwatch.GetElapsedTime(_last) < interval) return;
        _last = Stopwatch.GetTimestamp();
        var counts = total > 0
            ? $"{done.ToString(CultureInfo.InvariantCulture)} {total.ToString(CultureInfo.InvariantCulture)}"
            : "NIL NIL";
        session.Untagged($"OK [INPROGRESS (\"{_tag}\" {counts})] Processed {done} of {total}");
        await session.FlushAsync(ct);
    }
}
