using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Mail.Frontends.Tests.Imap;

/// <summary>A standard client (MailKit's ImapClient) end to end against the IMAP frontend.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapMailKitTests(ImapHostFixture host)
{
    private async Task<ImapClient> ConnectAsync(string address)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(address, ImapTestMail.Password);
        return client;
    }

    [Fact]
    public async Task StartTlsLoginListSelectFetchAndStore()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await ImapTestMail.DeliverAsync(host, address, "first message", "Body one.\r\n");
        await ImapTestMail.DeliverAsync(host, address, "second message", "Body two.\r\n");

        using var client = await ConnectAsync(address);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Idle));
        var folders = await client.GetFoldersAsync(client.PersonalNamespaces[0]);
        Assert.Contains(folders, f => f.FullName == "Sent" && f.Attributes.HasFlag(FolderAttributes.Sent));
        Assert.Contains(folders, f => f.FullName == "Trash" && f.Attributes.HasFlag(FolderAttributes.Trash));

        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(2, inbox.Count);
        var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Flags
            | MessageSummaryItems.BodyStructure | MessageSummaryItems.Size | MessageSummaryItems.InternalDate);
        Assert.Equal(["first message", "second message"], summaries.Select(s => s.Envelope!.Subject));
        Assert.All(summaries, s => Assert.False(s.Flags!.Value.HasFlag(MessageFlags.Seen)));
        Assert.Equal("sender@remote.example", summaries[0].Envelope!.From.Mailboxes.Single().Address);

        var message = await inbox.GetMessageAsync(summaries[1].UniqueId);
        Assert.Equal("second message", message.Subject);
        Assert.Equal("Body two.", message.TextBody!.TrimEnd());
        var after = await inbox.FetchAsync([summaries[1].UniqueId], MessageSummaryItems.Flags);
        Assert.False(after[0].Flags!.Value.HasFlag(MessageFlags.Seen));

        await inbox.AddFlagsAsync(summaries[0].UniqueId, MessageFlags.Flagged, silent: false);
        var flagged = await inbox.SearchAsync(SearchQuery.Flagged);
        Assert.Equal([summaries[0].UniqueId], flagged);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task AppendReturnsAppendUidAndMoveAndExpungeWork()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        using var client = await ConnectAsync(address);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(address));
        message.To.Add(MailboxAddress.Parse("friend@remote.example"));
        message.Subject = "draft via imap";
        message.Body = new TextPart("plain") { Text = "Draft body." };
        var drafts = await client.GetFolderAsync("Drafts");
        var uid = await drafts.AppendAsync(message, MessageFlags.Draft | MessageFlags.Seen);
        Assert.NotNull(uid);
        Assert.Equal(1u, uid!.Value.Id);

        await drafts.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(1, drafts.Count);
        var archive = await client.GetFolderAsync("Archive");
        var moved = await drafts.MoveToAsync(uid.Value, archive);
        Assert.NotNull(moved);
        Assert.Equal(0, drafts.Count);

        await archive.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(1, archive.Count);
        var fetched = await archive.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.Envelope);
        Assert.Equal("draft via imap", fetched[0].Envelope!.Subject);
        Assert.True(fetched[0].Flags!.Value.HasFlag(MessageFlags.Draft));
        await archive.AddFlagsAsync(fetched[0].UniqueId, MessageFlags.Deleted, silent: true);
        await archive.ExpungeAsync();
        Assert.Equal(0, archive.Count);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task IdleSeesAMessageDeliveredOverSmtpWithinOneSecond()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        using var client = await ConnectAsync(address);
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(0, inbox.Count);
        var arrived = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        inbox.CountChanged += (_, _) => arrived.TrySetResult(clock.Elapsed);
        using var done = new CancellationTokenSource();
        var idle = client.IdleAsync(done.Token);
        await Task.Delay(300);
        await ImapTestMail.DeliverAsync(host, address, "while idling");
        clock.Start();
        var elapsed = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await done.CancelAsync();
        await idle;
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"IDLE saw the delivery after {elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(1, inbox.Count);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task QresyncResyncSeesExactlyTheFlagChangesAndExpungesMadeElsewhere()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        for (var i = 1; i <= 3; i++) await ImapTestMail.DeliverAsync(host, address, $"sync {i}");

        ulong modseq;
        uint validity;
        IList<UniqueId> uids;
        using (var first = await ConnectAsync(address))
        {
            await first.EnableQuickResyncAsync();
            await first.Inbox.OpenAsync(FolderAccess.ReadWrite);
            modseq = first.Inbox.HighestModSeq;
            validity = first.Inbox.UidValidity;
            uids = (await first.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId)).Select(s => s.UniqueId).ToList();
            await first.DisconnectAsync(true);
        }

        using (var other = await ConnectAsync(address))
        {
            await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await other.Inbox.AddFlagsAsync(uids[1], MessageFlags.Flagged, silent: true);
            await other.Inbox.AddFlagsAsync(uids[2], MessageFlags.Deleted, silent: true);
            await other.Inbox.ExpungeAsync();
            await other.DisconnectAsync(true);
        }

        using var again = await ConnectAsync(address);
        await again.EnableQuickResyncAsync();
        var vanished = new List<UniqueId>();
        var changed = new List<UniqueId>();
        again.Inbox.MessagesVanished += (_, e) => vanished.AddRange(e.UniqueIds);
        again.Inbox.MessageFlagsChanged += (_, e) => { if (e.UniqueId is { } id) changed.Add(id); };
        await again.Inbox.OpenAsync(FolderAccess.ReadWrite, validity, modseq, uids);
        Assert.Equal([uids[2]], vanished);
        Assert.Equal([uids[1]], changed);
        Assert.True(again.Inbox.HighestModSeq > modseq);
        await again.DisconnectAsync(true);
    }

    [Fact]
    public async Task AFlagSetOverImapIsSeenByTheHttpApiAndTheReverse()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await ImapTestMail.DeliverAsync(host, address, "shared flags");
        var id = (await ApiUsers.ListAsync(api)).Single().GetProperty("id").GetString();

        using var client = await ConnectAsync(address);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await client.Inbox.AddFlagsAsync(0, MessageFlags.Flagged, silent: true);
        var detail = await api.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}");
        Assert.Contains("\\Flagged", detail.GetProperty("summary").GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        var patch = await api.PatchAsJsonAsync($"/v1/emails/{id}", new { unread = false });
        patch.EnsureSuccessStatusCode();
        var changed = new TaskCompletionSource<MessageFlags>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Inbox.MessageFlagsChanged += (_, e) => changed.TrySetResult(e.Flags);
        await client.NoOpAsync();
        var flags = await changed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(flags.HasFlag(MessageFlags.Seen));
        Assert.True(flags.HasFlag(MessageFlags.Flagged));
        await client.DisconnectAsync(true);
    }
}
