using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mail.Bench.Chaos;

/// <summary>
/// What the load was told: every message id acknowledged (250, 201, APPEND OK) with the mailbox it went to, every STORE
/// acknowledged, every remote recipient whose submission was acknowledged, and the time and latency of every request.
/// </summary>
public sealed class ChaosLedger
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Acknowledged messages: (address, Message-ID) to the kind of request that stored it.</summary>
    public ConcurrentDictionary<(string Address, string MessageId), string> Accepted { get; } = new();

    /// <summary>Acknowledged STOREs of \Flagged: (address, Message-ID).</summary>
    public ConcurrentDictionary<(string Address, string MessageId), bool> Flagged { get; } = new();

    /// <summary>Remote recipients of acknowledged submissions, each expected at the sink once.</summary>
    public ConcurrentDictionary<string, bool> Outbound { get; } = new();

    /// <summary>Every request: when it ended (seconds since start), how long it took, whether it failed, its kind and the process it went to.</summary>
    public ConcurrentQueue<(double At, double Millis, bool Failed, string Kind, string Target)> Requests { get; } = new();

    /// <summary>Kill times (seconds since start) and the silo killed.</summary>
    public ConcurrentQueue<(double At, string Silo)> Kills { get; } = new();

    /// <summary>Seconds since the run started.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>Times one request and records it; a thrown exception or a false result is a temporary failure.</summary>
    public async Task<bool> TimeAsync(string kind, string target, Func<Task<bool>> request)
    {
        var start = _clock.Elapsed;
        bool ok;
        try
        {
            ok = await request();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ok = false;
        }
        Requests.Enqueue((_clock.Elapsed.TotalSeconds, (_clock.Elapsed - start).TotalMilliseconds, !ok, kind, target));
        return ok;
    }
}
