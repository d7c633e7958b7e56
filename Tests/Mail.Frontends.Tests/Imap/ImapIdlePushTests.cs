using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Mail.Frontends.Tests.Imap;

/// <summary>The host with IDLE's poll (used only without the event stream) slowed to 5 s, so only the stream can be prompt.</summary>
public sealed class SlowPollImapHostFixture : MailHostFixture
{
    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Mail:Imap:IdlePollMilliseconds"] = "5000" };
}

/// <summary>IDLE follows the mailbox event stream: another session's change reaches an idling client at once.</summary>
public sealed class ImapIdlePushTests(SlowPollImapHostFixture host) : IClassFixture<SlowPollImapHostFixture>
{
    [Fact]
    public async Task AnIdlingSessionSeesAnotherSessionsStoreAtOnce()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await ImapTestMail.DeliverAsync(host, address, "to be flagged");
        using var idler = await ConnectAsync(address);
        using var other = await ConnectAsync(address);
        await idler.Inbox.OpenAsync(FolderAccess.ReadOnly);
        await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var uid = (await other.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId)).Single().UniqueId;

        var seen = new TaskCompletionSource<(TimeSpan After, MessageFlags Flags)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        idler.Inbox.MessageFlagsChanged += (_, e) => seen.TrySetResult((clock.Elapsed, e.Flags));
        using var done = new CancellationTokenSource();
        var idle = idler.IdleAsync(done.Token);
        await Task.Delay(300);
        clock.Start();
        await other.Inbox.AddFlagsAsync(uid, MessageFlags.Flagged, silent: true);
        var (after, flags) = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await done.CancelAsync();
        await idle;

        Assert.True(flags.HasFlag(MessageFlags.Flagged));
        // The first poll would come 5 s after IDLE began, 4.7 s after the STORE: anything well before it is the event
        // (3 s leaves room for a machine shared by many builds).
        Assert.True(after < TimeSpan.FromSeconds(3), $"IDLE saw the STORE after {after.TotalMilliseconds:0} ms (the poll is 5 s)");
        await idler.DisconnectAsync(true);
        await other.DisconnectAsync(true);
    }

    private async Task<ImapClient> ConnectAsync(string address)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(address, ImapTestMail.Password);
        return client;
    }
}
