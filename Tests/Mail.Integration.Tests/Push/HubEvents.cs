using System.Threading.Channels;
using Mail.Frontends.Http.Push;
using Microsoft.AspNetCore.SignalR.Client;

namespace Mail.Integration.Tests.Push;

/// <summary>What a hub connection received, in order, with the time each event arrived.</summary>
public sealed class HubEvents
{
    private readonly Channel<(MailboxEventView Event, DateTime At)> _events = Channel.CreateUnbounded<(MailboxEventView, DateTime)>();
    private readonly Channel<long> _reloads = Channel.CreateUnbounded<long>();

    /// <summary>Listens on <paramref name="connection"/>.</summary>
    public HubEvents(HubConnection connection)
    {
        connection.On<MailboxEventView>(MailboxHub.ChangedMethod, e => _events.Writer.TryWrite((e, DateTime.UtcNow)));
        connection.On<long>(MailboxHub.ReloadMethod, m => _reloads.Writer.TryWrite(m));
    }

    /// <summary>The next event matching <paramref name="match"/> (others are skipped), or a timeout.</summary>
    public async Task<(MailboxEventView Event, DateTime At)> NextAsync(Func<MailboxEventView, bool> match, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var next = await _events.Reader.ReadAsync(timeout.Token);
            if (match(next.Event)) return next;
        }
    }

    /// <summary>Every event received so far, taken out.</summary>
    public List<MailboxEventView> Drain()
    {
        var list = new List<MailboxEventView>();
        while (_events.Reader.TryRead(out var next)) list.Add(next.Event);
        return list;
    }
}
