using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>
/// The folder map the grain hands to IMAP SELECT and POP3: loaded from the rows, then kept equal to them by every kind
/// of write; pages of flags and slots by UID; expunge of many messages in one write.
/// </summary>
[Collection(MailClusterCollection.Name)]
public sealed class MailboxFolderMapTests(MailClusterFixture fixture)
{
    private readonly TestMessages _messages = new(fixture);
    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task TheMapIsLoadedFromTheRowsAndEveryWriteKeepsItEqualToThem()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var a = await DeliverAsync(box, "a", flags: [MessageFlags.Seen]);
        var b = await DeliverAsync(box, "b", flags: ["$Work"]);
        var c = await DeliverAsync(box, "c");
        var inbox = await box.FolderAsync(SpecialFolders.Inbox);

        var first = await box.Grain.OpenFolderAsync(SpecialFolders.Inbox);

        Assert.Equal(inbox, first.Folder);
        await AssertMapMatchesRowsAsync(box, first);
        Assert.Equal(["$Work"], first.Map.Keywords);
        Assert.Equal(1, first.Map.FirstIndexWithout(FlagBits.Seen));

        // Every write path: a flag store, an update, a move out, a copy in, an expunge, a delivery, a batched expunge.
        await box.Grain.StoreFlagsAsync([a.MessageId, c.MessageId], FlagStoreMode.Add, [MessageFlags.Flagged, "$Later"], null);
        await box.Grain.UpdateMessageAsync(c.MessageId, new MessageUpdate(RemoveFlags: ["$Later"], AddFlags: [MessageFlags.Deleted]));
        await box.Grain.UpdateMessageAsync(b.MessageId, new MessageUpdate(MoveTo: SpecialFolders.Archive));
        var copies = await box.Grain.PlaceMessagesAsync([a.MessageId, b.MessageId], SpecialFolders.Inbox, move: false);
        await box.Grain.ExpungeMessageAsync(a.MessageId);
        var d = await DeliverAsync(box, "d", flags: [MessageFlags.Draft, "$Work"]);
        Assert.Equal([c.Uid], await box.Grain.ExpungeUidsAsync(inbox.FolderId, [c.Uid, 999]));

        var second = await box.Grain.OpenFolderAsync(SpecialFolders.Inbox);
        await AssertMapMatchesRowsAsync(box, second);
        Assert.Equal([copies[0].Uid, copies[1].Uid, d.Uid], Uids(second.Map));
        Assert.Equal(["$Work", "$Later"], second.Map.Keywords);
        await AssertMapMatchesRowsAsync(box, await box.Grain.OpenFolderAsync(SpecialFolders.Archive));
        // The first view is as it was: a published map never changes.
        Assert.Equal([a.Uid, b.Uid, c.Uid], Uids(first.Map));
        Assert.Equal([MessageFlags.Seen], first.Map.FlagsAt(0));
    }

    [Fact]
    public async Task FlagAndSlotPagesAnswerByUidAndLeaveOutWhatIsGone()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var delivered = new List<MessageRecord>();
        for (var i = 0; i < 12; i++) delivered.Add(await DeliverAsync(box, $"m{i}", flags: i % 2 == 0 ? [MessageFlags.Seen] : ["$Odd"]));
        var folderId = (await box.FolderAsync(SpecialFolders.Inbox)).FolderId;
        await box.Grain.ExpungeMessageAsync(delivered[3].MessageId);
        var rows = (await _rows.MessagesAsync(box.AccountId)).ToDictionary(r => r.Uid);

        var flags = await box.Grain.GetFlagsAsync(folderId, [1, 2, 4, 5, 99]);
        Assert.Equal([1L, 2, 5], flags.Uids);
        Assert.Equal(new[] { new[] { MessageFlags.Seen }, ["$Odd"], [MessageFlags.Seen] }, flags.Flags.Select(f => f.ToArray()));

        // Dense (a range scan) and sparse (a lookup per UID): the same answer shape, asked UIDs only.
        var dense = await box.Grain.GetSlotsAsync(folderId, [2, 3, 4, 5, 6]);
        Assert.Equal([2L, 3, 5, 6], dense.Select(s => s.Uid));
        var sparse = await box.Grain.GetSlotsAsync(folderId, [1, 12, 4, 500]);
        Assert.Equal([1L, 12], sparse.Select(s => s.Uid));
        foreach (var slot in dense.Concat(sparse))
        {
            var row = rows[slot.Uid];
            Assert.Equal((row.MessageId, row.Modseq, row.Size), (slot.MessageId, slot.Modseq, slot.Size));
            Assert.Equal(row.Flags, slot.Flags);
        }

        var since = delivered[9].Modseq;
        var changed = await box.Grain.GetSlotsChangedSinceAsync(folderId, since, afterUid: 0, limit: 100);
        Assert.Equal([11L, 12], changed.Select(s => s.Uid));
        Assert.Equal([12L], (await box.Grain.GetSlotsChangedSinceAsync(folderId, since, afterUid: 11, limit: 100)).Select(s => s.Uid));
    }

    [Fact]
    public async Task ExpungeOfManyUidsIsOneTransactionWithAModseqAndChangeRowEach()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        for (var i = 0; i < 40; i++) await DeliverAsync(box, $"m{i}", flags: i % 4 == 0 ? [MessageFlags.Seen] : []);
        var inbox = await box.FolderAsync(SpecialFolders.Inbox);
        var modseqBefore = inbox.HighestModseq;
        var doomed = Enumerable.Range(1, 40).Where(uid => uid % 2 == 0).Select(uid => (long)uid).ToList();

        var removed = await box.Grain.ExpungeUidsAsync(inbox.FolderId, [.. doomed, 41, 4000]);

        Assert.Equal(doomed, removed);
        var changes = (await _rows.ChangesAsync(box.AccountId)).Where(ch => ch.Modseq > modseqBefore).ToList();
        Assert.Equal(doomed, changes.Select(ch => ch.Uid!.Value));
        Assert.All(changes, ch => Assert.Equal(MailboxChangeKind.Expunged, ch.Kind));
        Assert.Equal(Enumerable.Range(1, 20).Select(n => modseqBefore + n), changes.Select(ch => ch.Modseq));
        // One transaction wrote all the change rows (they share the inserting transaction id).
        Assert.Equal(1L, await _rows.ScalarAsync<long>(
            "SELECT count(DISTINCT xmin::text) FROM mailbox_changes WHERE account_id = @a AND modseq > @m", ("a", box.AccountId), ("m", modseqBefore)));
        var after = await box.FolderAsync(SpecialFolders.Inbox);
        Assert.Equal(after, await _rows.FolderAsync(box.AccountId, SpecialFolders.Inbox));
        var left = (await _rows.MessagesAsync(box.AccountId)).Where(r => r.FolderId == inbox.FolderId).ToList();
        Assert.Equal((left.Count, left.Count(r => !r.Flags.Contains(MessageFlags.Seen)), left.Sum(r => r.Size), modseqBefore + 20),
            (after.MessageCount, after.UnseenCount, after.TotalSize, after.HighestModseq));
        var mailbox = await _rows.MailboxAsync(box.AccountId);
        Assert.Equal((left.Sum(r => r.Size), 20L), (mailbox.QuotaUsed, mailbox.MessageCount));
        Assert.Equal(Enumerable.Range(1, 40).Where(uid => uid % 2 == 1).Select(uid => (long)uid), Uids((await box.Grain.OpenFolderAsync(SpecialFolders.Inbox)).Map));

        Assert.Empty(await box.Grain.ExpungeUidsAsync(inbox.FolderId, doomed));
        Assert.Equal(after, await box.FolderAsync(SpecialFolders.Inbox));
    }

    private async Task AssertMapMatchesRowsAsync(TestMailbox box, FolderView view)
    {
        var rows = (await _rows.MessagesAsync(box.AccountId)).Where(r => r.FolderId == view.Folder.FolderId).OrderBy(r => r.Uid).ToList();
        Assert.Equal(rows.Count, view.Map.Count);
        Assert.Equal(view.Folder.MessageCount, view.Map.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal((rows[i].Uid, rows[i].MessageId), (view.Map.UidAt(i), view.Map.MessageIdAt(i)));
            Assert.Equal(rows[i].Flags.Order(), view.Map.FlagsAt(i).Order());
        }
    }

    private static List<long> Uids(FolderMap map) => Enumerable.Range(0, map.Count).Select(map.UidAt).ToList();

    private async Task<MessageRecord> DeliverAsync(TestMailbox box, string subject, IReadOnlyList<string>? flags = null)
    {
        var delivery = await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build(subject), SpecialFolders.Inbox, flags);
        return await box.MessageAsync((await box.Grain.DeliverAsync(delivery)).MessageId);
    }
}
