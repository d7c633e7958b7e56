using System.Collections.Concurrent;
using System.Net;

namespace Mail.Frontends.Hosting;

/// <summary>
/// Counts a listener's open sessions, in all and per client address, and refuses those over either limit, so that
/// neither one address nor many together can take more sessions than the listener was sized for.
/// </summary>
public sealed class ConnectionLimiter(int maxPerAddress, int maxTotal)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();
    private int _total;

    /// <summary>Sessions admitted and not yet released.</summary>
    public int Open => Volatile.Read(ref _total);

    /// <summary>Admits a session, or says which limit it is over (then nothing is counted).</summary>
    public Admission TryEnter(IPAddress address)
    {
        if (Interlocked.Increment(ref _total) > maxTotal)
        {
            Interlocked.Decrement(ref _total);
            return Admission.ListenerFull;
        }
        var count = _open.AddOrUpdate(address, 1, (_, n) => n + 1);
        if (count <= maxPerAddress) return Admission.Admitted;
        Exit(address);
        return Admission.AddressFull;
    }

    /// <summary>Releases a session admitted by <see cref="TryEnter"/>.</summary>
    public void Exit(IPAddress address)
    {
        if (_open.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0) _open.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
        Interlocked.Decrement(ref _total);
    }
}
