using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Mail.Frontends.Tests.Imap;

/// <summary>NOTIFY (RFC 5465) with a standard client: MailKit's ImapClient.NotifyAsync, then IDLE to listen.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapNotifyMailKitTests(ImapHostFixture host)
{
    [Fact]
    public async Task MailKitHearsOfNewMessagesInTheSelectedAndAnotherMailbox()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(address, ImapTestMail.Password);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Notify));
        var lists = await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Lists", true) ?? throw new InvalidOperationException("CREATE Lists gave no folder");
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await client.NotifyAsync(true,
        [
            new ImapEventGroup(ImapMailboxFilter.Selected,
                [new ImapEvent.MessageNew(MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope), ImapEvent.MessageExpunge, ImapEvent.FlagChange]),
            new ImapEventGroup(ImapMailboxFilter.Personal, [new ImapEvent.MessageNew(MessageSummaryItems.None), ImapEvent.MessageExpunge]),
        ]);

        var fetched = new TaskCompletionSource<IMessageSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inbox = client.Inbox!;
        inbox.MessageSummaryFetched += (_, e) => fetched.TrySetResult(e.Message);
        var counted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        lists.CountChanged += (_, _) => counted.TrySetResult(lists.Count);
        using var done = new CancellationTokenSource();
        var idle = client.IdleAsync(done.Token);

        await ImapTestMail.DeliverAsync(host, address, "Pushed to INBOX");
        var summary = await fetched.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("Pushed to INBOX", summary.Envelope?.Subject);
        Assert.Equal(1u, summary.UniqueId.Id);

        await using (var other = await ImapTestMail.LoginAsync(host, address))
        {
            await ImapMessages.AppendAsync(other, "Lists", "", ImapMessages.Simple("Filed"), 1);
        }
        Assert.Equal(1, await counted.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        await done.CancelAsync();
        await idle;
        Assert.Equal(1, inbox.Count);
        await client.DisconnectAsync(true);
    }
}
