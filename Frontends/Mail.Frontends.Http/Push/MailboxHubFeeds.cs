using Mail.Events;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http.Push;

/// <summary>
/// The change feeds of the accounts connected to this frontend's hub: one <see cref="MailboxChangeFeed"/> per account
/// however many of its clients are connected, started by the first connection and stopped with the last; each update
/// goes to the account's SignalR group, so a client hears its own account only.
/// </summary>
public sealed class MailboxHubFeeds(IClusterClient client, IHubContext<MailboxHub> hub, IOptions<MailboxChangeFeedOptions> options, ILogger<MailboxHubFeeds> logger)
    : IAsyncDisposable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _connections;

    /// <summary>Connections admitted and not yet gone.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Admits one more connection unless <paramref name="max"/> are open; <see cref="Release"/> undoes it.</summary>
    public bool TryAdmit(int max)
    {
        if (Interlocked.Increment(ref _connections) <= max) return true;
        Interlocked.Decrement(ref _connections);
        return false;
    }

    /// <summary>Gives back what <see cref="TryAdmit"/> took.</summary>
    public void Release() => Interlocked.Decrement(ref _connections);

    /// <summary>The SignalR group of an account's connections.</summary>
    public static string GroupOf(string accountId) => "account:" + accountId;

    /// <summary>Counts a connection of <paramref name="accountId"/>, starting its feed if it is the first.</summary>
    public async Task JoinAsync(string accountId)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(accountId, out entry!))
            {
                entry = new Entry(StartAsync(accountId));
                _entries[accountId] = entry;
            }
            entry.Connections++;
        }
        try
        {
            await entry.Feed;
        }
        catch
        {
            await LeaveAsync(accountId);
            throw;
        }
    }

    /// <summary>Uncounts a connection; the last one of an account stops its feed.</summary>
    public async Task LeaveAsync(string accountId)
    {
        Entry? last = null;
        lock (_entries)
        {
            if (_entries.TryGetValue(accountId, out var entry) && --entry.Connections == 0)
            {
                _entries.Remove(accountId);
                last = entry;
            }
        }
        if (last is null) return;
        try
        {
            await (await last.Feed).DisposeAsync();
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "The feed of {Account} failed to start or stop.", accountId);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        List<Entry> entries;
        lock (_entries)
        {
            entries = _entries.Values.ToList();
            _entries.Clear();
        }
        foreach (var entry in entries)
        {
            try
            {
                await (await entry.Feed).DisposeAsync();
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "A hub feed failed to stop.");
            }
        }
    }

    private Task<MailboxChangeFeed> StartAsync(string accountId)
    {
        var group = hub.Clients.Group(GroupOf(accountId));
        return MailboxChangeFeed.StartAsync(client, accountId, null, async update =>
        {
            if (update.Reload)
            {
                await group.SendAsync(MailboxHub.ReloadMethod, update.Modseq);
                return;
            }
            foreach (var e in update.Events) await group.SendAsync(MailboxHub.ChangedMethod, MailboxEventView.Of(e));
        }, options.Value, logger);
    }

    private sealed class Entry(Task<MailboxChangeFeed> feed)
    {
        public Task<MailboxChangeFeed> Feed { get; } = feed;

        public int Connections { get; set; }
    }
}
