using System.Collections.Concurrent;
using System.Net;
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
/// dead destination. Workers run on the thread pool: SMTP I/O never blocks the grain. While the pump holds
/// jobs (queued or being sent) it extends their rows' leases every third of a lease, so however long a job
/// waits, the scheduler never hands its rows to a second sender; a row whose lease could not be extended
/// (this process stalled past it) is dropped from its job instead of being sent. A destination keyed by (site, source
/// IP) binds that IP and takes the receiving provider's connection limits (<see cref="DestinationKey"/>).
/// </summary>
public sealed class DestinationPump(string site, DestinationContext context)
{
    private readonly IPAddress? _source = DestinationKey.Parse(site).SourceIp is { } ip ? IPAddress.Parse(ip) : null;
    private readonly ConcurrentQueue<OutboundJob> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<long, OutboundJob> _held = new();
    private readonly ConcurrentDictionary<long, byte> _lost = new();
    private int _heartbeat;
    private int _queued;
    private int _workers;
    private int _openConnections;
    private long _delivered, _deferred, _failed;
    private DateTimeOffset? _suspendedUntil;
    private string? _suspendedReason;
    private DestinationLimits? _limits;

    private ILogger Logger => context.Logger;

    /// <summary>Takes the prefix of <paramref name="jobs"/> that fits the queue bound and starts workers for it.</summary>
    public int Offer(IReadOnlyList<OutboundJob> jobs)
    {
        var accepted = 0;
        foreach (var job in jobs)
        {
            if (Volatile.Read(ref _queued) >= context.Options.MaxQueuedPerDestination) break;
            Interlocked.Increment(ref _queued);
            _held[job.Recipients[0].RowId] = job;
            _queue.Enqueue(job);
            _signal.Release();
            accepted++;
        }
        StartWorkers();
        if (accepted > 0 && Interlocked.Exchange(ref _heartbeat, 1) == 0) _ = Task.Run(ExtendLeasesAsync);
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
            _held.TryRemove(job.Recipients[0].RowId, out _);
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
                    await DeliverAsync(WithoutLostRows(job), connection);
                }
                catch (Exception e)
                {
                    // Whatever went wrong, the job's rows stay leased and come back when the lease lapses.
                    context.Logger.LogError(e, "Destination {Site}: job for {Submission} failed unexpectedly", site, job.SubmissionId);
                    await connection.CloseAsync(this);
                }
                finally
                {
                    _held.TryRemove(job.Recipients[0].RowId, out _);
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
        _limits ??= context.LimitsFor(route, job.Domain, _source is not null);

        if (!connection.Suits(route, _limits.MessagesPerConnection ?? context.Options.MessagesPerConnection)) await connection.CloseAsync(this);
        if (connection.Current is null)
        {
            var (opened, host, error) = await context.Connector.ConnectAsync(route, _source, _stopping.Token);
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

    private OutboundJob WithoutLostRows(OutboundJob job) =>
        _lost.IsEmpty ? job : job with { Recipients = job.Recipients.Where(r => !_lost.TryRemove(r.RowId, out _)).ToArray() };

    /// <summary>Every third of a lease, extends the leases of the jobs held; stops with the pump.</summary>
    private async Task ExtendLeasesAsync()
    {
        var lease = TimeSpan.FromSeconds(context.Options.LeaseSeconds);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(lease / 3, context.Clock, _stopping.Token);
                foreach (var group in _held.Values.GroupBy(j => j.LeasedUntil))
                {
                    var ids = group.SelectMany(j => j.Recipients.Select(r => r.RowId)).ToArray();
                    var held = await context.Leases.ExtendAsync(ids, group.Key, lease);
                    foreach (var id in ids.Where(id => !held.Contains(id))) _lost[id] = 0;
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                context.Logger.LogWarning(e, "Destination {Site}: extending leases failed; trying again", site);
            }
        }
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

        /// <summary>Closes the connection; a failure to say QUIT politely is of no consequence and must not end the worker.</summary>
        public async Task CloseAsync(DestinationPump pump)
        {
            if (Current is null) return;
            var closing = Current;
            Current = null;
            Interlocked.Decrement(ref pump._openConnections);
            try
            {
                await closing.DisposeAsync();
            }
            catch (Exception e)
            {
                pump.Logger.LogDebug(e, "Closing the connection to {Host} failed", Host?.Name);
            }
        }
    }
}
