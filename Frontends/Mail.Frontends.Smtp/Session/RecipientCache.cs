using System.Collections.Concurrent;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// Local recipients' routes (address to account and tenant) as RCPT TO resolved them, kept for a few seconds per address so
/// a sender of many messages to one mailbox does not ask the address grain for each (issue 16). Only routes that exist are
/// kept, so a new account is reachable at once. A stale route is safe: an account removed since files nothing (its mailbox
/// refuses, and the delivery reports the recipient unknown). The quota is not kept: RCPT asks the mailbox every time.
/// </summary>
public sealed class RecipientCache(TimeSpan lifetime, int capacity)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The address's route, or null when it has none.</summary>
    public async Task<AddressRoute?> ResolveAsync(IGrainFactory grains, string address)
    {
        var now = Environment.TickCount64;
        if (_entries.TryGetValue(address, out var entry) && entry.ExpiresAt > now) return entry.Route;
        var route = await grains.GetGrain<IAddressGrain>(address).ResolveAsync();
        if (route is null)
        {
            _entries.TryRemove(address, out _);
        }
        else if (lifetime > TimeSpan.Zero)
        {
            // A crude bound: a full table starts again rather than tracking use; entries live seconds anyway.
            if (_entries.Count >= capacity) _entries.Clear();
            _entries[address] = new Entry(route, now + (long)lifetime.TotalMilliseconds);
        }
        return route;
    }

    private sealed record Entry(AddressRoute Route, long ExpiresAt);
}
