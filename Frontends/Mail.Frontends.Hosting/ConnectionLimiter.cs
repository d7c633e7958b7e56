using System.Collections.Concurrent;
using System.Net;

namespace Mail.Frontends.Hosting;

/// <summary>Counts a listener's open sessions per client address and refuses those over the limit.</summary>
public sealed class ConnectionLimiter(int maxPerAddress)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>Admits a session, or returns false if the address has too many.</summary>
    public bool TryEnter(IPAddress address)
    {
        var count = _open.AddOrUpdate(address, 1, (_, n) => n + 1);
        if (count <= maxPerAddress) return true;
        Exit(address);
        return false;
    }

    /// <summary>Releases a session.</summary>
    public void Exit(IPAddress address)
    {
        if (_open.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0) _open.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
    }
}
