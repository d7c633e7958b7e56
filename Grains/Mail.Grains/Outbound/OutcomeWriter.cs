using Mail.Grains.Hosting;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Outbound;

/// <summary>
/// Group commit of attempt outcomes: every sender on the silo hands its outcomes here and waits; one writer takes
/// everything that queued up while the previous commit ran and records it in one transaction (one WAL flush).
/// Each caller's task completes only after the commit that holds its rows, so "delivered" is never claimed
/// early and a sender still sends its next message only after its last one is recorded.
/// </summary>
public sealed class OutcomeWriter : IAsyncDisposable
{
    /// <summary>The most rows one commit takes; the rest wait for the next.</summary>
    public const int MaxRowsPerCommit = 1000;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly OutboundLeaseStore _leases;
    private readonly MailClock _clock;
    private readonly OutboundOptions _options;
    private readonly Task _writer;

    /// <summary>Starts the writer.</summary>
    public OutcomeWriter(OutboundLeaseStore leases, MailClock clock, IOptions<OutboundOptions> options)
    {
        _leases = leases;
        _clock = clock;
        _options = options.Value;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Records <paramref name="outcomes"/> of an attempt made under <paramref name="leasedUntil"/>; completes once committed.</summary>
    public Task RecordAsync(IReadOnlyList<RowOutcome> outcomes, DateTimeOffset leasedUntil)
    {
        if (outcomes.Count == 0) return Task.CompletedTask;
        var pending = new Pending(outcomes.Select(o => new LeasedOutcome(o, leasedUntil)).ToArray(),
            new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(OutcomeWriter));
        return pending.Committed.Task;
    }

    private async Task WriteAsync()
    {
        var group = new List<Pending>();
        var rows = new List<LeasedOutcome>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (rows.Count < MaxRowsPerCommit && _pending.Reader.TryRead(out var next))
            {
                group.Add(next);
                rows.AddRange(next.Outcomes);
            }
            try
            {
                var warn = _options.DelayWarningHours > 0 ? _clock.GetUtcNow() - TimeSpan.FromHours(_options.DelayWarningHours) : (DateTimeOffset?)null;
                await _leases.RecordAsync(rows, warn);
                foreach (var pending in group) pending.Committed.SetResult();
            }
            catch (Exception e)
            {
                // Nothing of this commit was recorded: each sender treats it as its own failure (its rows stay leased).
                foreach (var pending in group) pending.Committed.SetException(e);
            }
            group.Clear();
            rows.Clear();
        }
    }

    /// <summary>Stops taking outcomes and waits for the writer to record what it holds.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    private sealed record Pending(LeasedOutcome[] Outcomes, TaskCompletionSource Committed);
}
