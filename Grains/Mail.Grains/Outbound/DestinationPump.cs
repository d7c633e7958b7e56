using System.Collections.Concurrent;
using System.Text;
using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Outbound.Smtp;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace Mail.Grains.Outbound;

/// <summary>
/// The work of one destination site: a bounded queue of jobs and up to the site's connection limit of
/// workers, each holding one connection and sending up to the per-connection message limit over it before
/// opening a fresh one (connection reuse, RFC 5321 §3.3). When no host of the site can be reached the site
/// is suspended for a while and its jobs are deferred without new connection attempts, as Postfix marks a
/// dead destination. Workers run on the thread pool: SMTP I/O never blocks the grain.
/// </summary>
public sealed class DestinationPump(string site, DestinationContext context)
{
    private readonly ConcurrentQueue<OutboundJob> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private int _queued;
    private int _workers;
    private int _openConnections;
    private long _delivered, _deferred, _failed;
    private DateTimeOffset? _suspendedUntil;
    private string? _suspendedReason;
    private DestinationLimits? _limits;

    /// <summary>Takes the prefix of <paramref name="jobs"/> that fits the queue bound and starts workers for it.</summary>
    public int Offer(IReadOnlyList<OutboundJob> jobs)
    {
        var accepted = 0;
        foreach (var job in jobs)
        {
            if (Volatile.Read(ref _queued) >= context.Options.MaxQueuedPerDestination) break;
            Interlocked.Increment(ref _queued);
            _queue.Enqueue(job);
            _signal.Release();
            accepted++;
        }
        StartWorkers();
        return accepted;
    }

    /// <summary>What the site is doing now.</summary>
    public DestinationStatus Status() => new(site, Volatile.Read(ref _openConnections), Volatile.Read(ref _queued),
        _suspendedUntil > context.Clock.GetUtcNow() ? _suspendedUntil : null, _suspendedReason,
        Interlocked.Read(ref _delivered), Interlocked.Read(ref _deferred), Interlocked.Read(ref _failed));

    /// <summary>Stops taking work and gives queued jobs back to the queue, due now, so another activation sends them.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        while (_queue.TryDequeue(out var job))
        {
            Interlocked.Decrement(ref _queued);
            await context.Leases.ReleaseAsync(job.Recipients.Select(r => r.RowId).ToArray(), job.LeasedUntil, context.Clock.GetUtcNow());
        }
    }

    private void StartWorkers()
    {
        lock (_gate)
        {
            var limit = _limits?.Connections ?? context.Options.ConnectionsPerDestination;
            while (_workers < limit && _workers < Volatile.Read(ref _queued) && !_stopping.IsCancellationRequested)
            {
                _workers++;
                _ = Task.Run(WorkAsync);
            }
        }
    }

    private async Task WorkAsync()
    {
        var connection = new WorkerConnection();
        try
        {
            var idle = TimeSpan.FromSeconds(context.Options.ConnectionIdleSeconds);
            while (!_stopping.IsCancellationRequested && await _signal.WaitAsync(idle))
            {
                if (!_queue.TryDequeue(out var job)) continue;
                Interlocked.Decrement(ref _queued);
                try
                {
                    await DeliverAsync(job, connection);
                }
                catch (Exception e)
                {
                    // Whatever went wrong, the job's rows stay leased and come back when the lease lapses.
                    context.Logger.LogError(e, "Destination {Site}: job for {Submission} failed unexpectedly", site, job.SubmissionId);
                    await connection.CloseAsync(this);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            await connection.CloseAsync(this);
            lock (_gate) _workers--;
            if (Volatile.Read(ref _queued) > 0) StartWorkers();
        }
    }

    private async Task DeliverAsync(OutboundJob job, WorkerConnection connection)
    {
        job = await RenewIfOldAsync(job);
        if (job.Recipients.Count == 0) return;
        var now = context.Clock.GetUtcNow();
        if (_suspendedUntil is { } until && until > now)
        {
            await RecordAllAsync(job, new DeliveryFailure(false, "4.4.1", $"delivery temporarily suspended: {_suspendedReason}", null));
            return;
        }

        var route = await context.Router.RouteAsync(job.Domain, _stopping.Token);
        if (route.Failure is { } failure)
        {
            await RecordAllAsync(job, new DeliveryFailure(failure.Permanent, failure.StatusCode, failure.Text, null));
            return;
        }
        _limits ??= context.LimitsFor(route);

        if (!connection.Suits(route, _limits.MessagesPerConnection ?? context.Options.MessagesPerConnection)) await connection.CloseAsync(this);
        if (connection.Current is null)
        {
            var (opened, host, error) = await context.Connector.ConnectAsync(route, _stopping.Token);
            if (opened is null)
            {
                if (error.SuspendsSite) Suspend(error.Text);
                await RecordAllAsync(job, error);
                return;
            }
            connection.Open(opened, host!, route);
            Interlocked.Increment(ref _openConnections);
        }

        var prefix = job.DkimSignature is null ? null : Encoding.ASCII.GetBytes(job.DkimSignature);
        var message = new OutboundMessage(job.ReturnPath, job.Recipients.Select(r => r.Address).ToArray(), prefix,
            ct => context.Blobs.OpenReadAsync(job.Blob.TenantId, new BlobRef(job.Blob.Name, job.Blob.Length), ct),
            job.Blob.Length + (prefix?.Length ?? 0));
        TransactionResult result;
        try
        {
            result = await connection.Current!.SendAsync(message, _stopping.Token);
            connection.Sent++;
        }
        catch (OutboundConnectionException e)
        {
            await connection.CloseAsync(this);
            await RecordAllAsync(job, new DeliveryFailure(false, e.Reply?.EnhancedCode ?? "4.4.2", e.Message, connection.LastHost));
            return;
        }
        await RecordAsync(job, result);
    }

    /// <summary>A job that waited in the queue for half its lease re-claims its rows first, so a lapsed lease never yields a second sender.</summary>
    private async Task<OutboundJob> RenewIfOldAsync(OutboundJob job)
    {
        var lease = TimeSpan.FromSeconds(context.Options.LeaseSeconds);
        if (job.LeasedUntil - context.Clock.GetUtcNow() > lease / 2) return job;
        var (renewed, held) = await context.Leases.RenewAsync(job.Recipients.Select(r => r.RowId).ToArray(), job.LeasedUntil, lease);
        return job with { LeasedUntil = renewed, Recipients = job.Recipients.Where(r => held.Contains(r.RowId)).ToArray() };
    }

    private void Suspend(string reason)
    {
        _suspendedReason = reason;
        _suspendedUntil = context.Clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(context.Options.MinimalBackoffSeconds, 60));
        context.Logger.LogWarning("Destination {Site} suspended until {Until}: {Reason}", site, _suspendedUntil, reason);
    }

    private async Task RecordAllAsync(OutboundJob job, DeliveryFailure failure) => Count(await context.Recorder.RecordFailureAsync(job, failure));

    private async Task RecordAsync(OutboundJob job, TransactionResult result) => Count(await context.Recorder.RecordTransactionAsync(job, result));

    private void Count(IReadOnlyList<RowOutcome> outcomes)
    {
        Interlocked.Add(ref _delivered, outcomes.Count(o => o.Kind == OutcomeKind.Delivered));
        Interlocked.Add(ref _deferred, outcomes.Count(o => o.Kind == OutcomeKind.Deferred));
        Interlocked.Add(ref _failed, outcomes.Count(o => o.Kind == OutcomeKind.Failed));
    }

    /// <summary>One worker's connection and how many messages it carried.</summary>
    private sealed class WorkerConnection
    {
        public OutboundConnection? Current { get; private set; }
        public RouteHost? Host { get; private set; }
        public string? LastHost { get; private set; }
        public int Sent { get; set; }

        public void Open(OutboundConnection connection, RouteHost host, OutboundRoute route)
        {
            Current = connection;
            Host = host;
            LastHost = host.Name;
            Sent = 0;
        }

        /// <summary>Reusable for this route: still open, under its message limit, and to a host of the route with the same TLS requirement.</summary>
        public bool Suits(OutboundRoute route, int messagesPerConnection) =>
            Current is { IsUsable: true } && Sent < messagesPerConnection &&
            route.Hosts.Any(h => h.Name == Host!.Name && h.Tls.Mode == Host.Tls.Mode);

        public async Task CloseAsync(DestinationPump pump)
        {
            if (Current is null) return;
            await Current.DisposeAsync();
            Current = null;
            Interlocked.Decrement(ref pump._openConnections);
        }
    }
}
