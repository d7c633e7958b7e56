using System.Collections.Concurrent;

namespace Mail.Bench.Delivery;

/// <summary>
/// Shares a target number of delivered sends between workers: a worker claims a slot before each send and
/// gives it back if the send fails, so exactly <see cref="Target"/> deliveries are counted.
/// </summary>
public sealed class SendTally(int target, int maxErrors)
{
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private int _claimed;
    private int _delivered;
    private int _failed;

    /// <summary>Deliveries wanted.</summary>
    public int Target { get; } = target;

    /// <summary>Deliveries acknowledged with 201 and filed.</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>Sends that failed.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>True when too many sends failed for the figure to mean anything.</summary>
    public bool GaveUp => Failed >= maxErrors;

    /// <summary>Claims the slot for one more send; false when the target is reached or the run gave up.</summary>
    public bool TryClaim()
    {
        if (GaveUp) return false;
        if (Interlocked.Increment(ref _claimed) <= Target) return true;
        Interlocked.Decrement(ref _claimed);
        return false;
    }

    /// <summary>Records the outcome of a claimed send.</summary>
    public void Record(SendOutcome outcome)
    {
        if (outcome.Delivered)
        {
            Interlocked.Increment(ref _delivered);
            return;
        }
        Interlocked.Increment(ref _failed);
        _errors.AddOrUpdate(outcome.Error ?? "unknown", 1, (_, n) => n + 1);
        Interlocked.Decrement(ref _claimed);
    }

    /// <summary>The distinct errors with their counts, most frequent first.</summary>
    public IEnumerable<(string Error, int Count)> Errors() =>
        _errors.OrderByDescending(e => e.Value).Select(e => (e.Key, e.Value));
}
