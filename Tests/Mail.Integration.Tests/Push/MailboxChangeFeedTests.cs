using System.Threading.Channels;
using Mail.Events;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Integration.Tests.Lifecycle;

namespace Mail.Integration.Tests.Push;

/// <summary>
/// The change feed misses nothing: a change its consumer lost is replayed from the log when the next event shows the
/// gap, or by the fallback timer when no event follows; a feed started from an old MODSEQ replays what came since.
/// </summary>
public sealed class MailboxChangeFeedTests(PushHostFixture host) : IClassFixture<PushHostFixture>
{
    [Fact]
    public async Task ALostEventIsReplayedWhenTheNextOneShowsTheGap()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        using var _ = api;
        var updates = Channel.CreateUnbounded<MailboxFeedUpdate>();
        var failures = 1;
        await using var feed = await MailboxChangeFeed.StartAsync(host.Client, await host.AccountIdAsync(address), null, update =>
        {
            // The first update is lost on the way to the consumer.
            if (Interlocked.Decrement(ref failures) >= 0) throw new InvalidOperationException("lost");
            updates.Writer.TryWrite(update);
            return Task.CompletedTask;
        }, new MailboxChangeFeedOptions { FallbackSeconds = 600 });
        var start = feed.Position;

        await LifecycleMail.SendAsync(host, [address], 1, 100, "lost");
        await LifecycleMail.SendAsync(host, [address], 1, 100, "shows the gap");

        var replay = await ReadAsync(updates);
        Assert.True(replay.Replayed);
        var added = Assert.Single(replay.Events);
        Assert.Equal(MailboxEventKind.Added, added.Kind);
        Assert.Equal(2, added.MessageIds.Count);
        Assert.Equal(start, added.PreviousModseq);
        Assert.Equal(start + 2, feed.Position);
    }

    [Fact]
    public async Task ALostEventWithNothingAfterItIsFoundByTheFallback()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        using var _ = api;
        var updates = Channel.CreateUnbounded<MailboxFeedUpdate>();
        var failures = 1;
        await using var feed = await MailboxChangeFeed.StartAsync(host.Client, await host.AccountIdAsync(address), null, update =>
        {
            if (Interlocked.Decrement(ref failures) >= 0) throw new InvalidOperationException("lost");
            updates.Writer.TryWrite(update);
            return Task.CompletedTask;
        }, new MailboxChangeFeedOptions { FallbackSeconds = 1 });

        await LifecycleMail.SendAsync(host, [address], 1, 100, "lost alone");

        var replay = await ReadAsync(updates);
        Assert.True(replay.Replayed);
        Assert.Equal(MailboxEventKind.Added, Assert.Single(replay.Events).Kind);
    }

    [Fact]
    public async Task AFeedStartedFromAnOldModseqReplaysThenFollowsTheStream()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        using var _ = api;
        await LifecycleMail.SendAsync(host, [address], 2, 100, "before");
        var updates = Channel.CreateUnbounded<MailboxFeedUpdate>();
        await using var feed = await MailboxChangeFeed.StartAsync(host.Client, await host.AccountIdAsync(address), 0, update =>
        {
            updates.Writer.TryWrite(update);
            return Task.CompletedTask;
        });

        var replay = await ReadAsync(updates);
        Assert.True(replay.Replayed);
        Assert.Equal(2, replay.Events.Where(e => e.Kind == MailboxEventKind.Added).Sum(e => e.MessageIds.Count));

        await LifecycleMail.SendAsync(host, [address], 1, 100, "after");
        var live = await ReadAsync(updates);
        Assert.False(live.Replayed);
        Assert.Equal(replay.Modseq, Assert.Single(live.Events).PreviousModseq);
    }

    private static async Task<MailboxFeedUpdate> ReadAsync(Channel<MailboxFeedUpdate> updates)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await updates.Reader.ReadAsync(timeout.Token);
    }
}
