using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>Flags, keywords and labels; move, copy and expunge: counters both sides, MODSEQs and the change log.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class MailboxMessageTests(MailClusterFixture fixture)
{
    private readonly TestMessages _messages = new(fixture);
    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task AddingAndRemovingSeenUpdatesUnseenCountModseqAndLogsFlagsChanged()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var (id, delivered) = await DeliverAsync(box, "read me");
        var inboxBefore = await box.FolderAsync(SpecialFolders.Inbox);
        Assert.Equal(1, inboxBefore.UnseenCount);

        var seen = await box.Grain.UpdateMessageAsync(id, new MessageUpdate(AddFlags: [MessageFlags.Seen]));

        Assert.Equal([MessageFlags.Seen], seen.Flags);
        Assert.Equal(delivered.Modseq + 1, seen.Modseq);
        Assert.Equal(delivered.Uid, seen.Uid);
        Assert.Equivalent(seen, await box.MessageAsync(id), strict: true);
        var inbox = await box.FolderAsync(SpecialFolders.Inbox);
        Assert.Equal((0, 1, seen.Modseq), (inbox.UnseenCount, inbox.MessageCount, inbox.HighestModseq));
        Assert.Equal(inbox, await _rows.FolderAsync(box.AccountId, SpecialFolders.Inbox));
        var stored = await _rows.MessageAsync(box.AccountId, id);
        Assert.Equal([MessageFlags.Seen], stored!.Flags);
        Assert.Equal(seen.Modseq, stored.Modseq);
        var change = (await _rows.ChangesAsync(box.AccountId))[^1];
        Assert.Equal(new MailboxChange(seen.Modseq, MailboxChangeKind.FlagsChanged, inbox.FolderId, id, delivered.Uid), change);

        var unseen = await box.Grain.UpdateMessageAsync(id, new MessageUpdate(RemoveFlags: [MessageFlags.Seen]));

        Assert.Empty(unseen.Flags);
        Assert.Equal(seen.Modseq + 1, unseen.Modseq);
        Assert.Equal(1, (await box.FolderAsync(SpecialFolders.Inbox)).UnseenCount);
        var changes = await _rows.ChangesAsync(box.AccountId);
        Assert.Equal([MailboxChangeKind.Added, MailboxChangeKind.FlagsChanged, MailboxChangeKind.FlagsChanged], changes.Select(c => c.Kind));
        Assert.Equal([delivered.Modseq, seen.Modseq, unseen.Modseq], changes.Select(c => c.Modseq));
        Assert.Equal(unseen.Modseq, (await _rows.MailboxAsync(box.AccountId)).HighestModseq);
    }

    [Fact]
    public async Task SystemFlagsAreCanonicalizedWhileKeywordsAndLabelsAreKept()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var (id, delivered) = await DeliverAsync(box, "flag me");

        var updated = await box.Grain.UpdateMessageAsync(id, new MessageUpdate(
            AddFlags: ["\\SEEN", "\\flagged", "$Important", "\\Seen"],
            AddLabels: ["Work", "Travel plans"]));

        // Labels are keywords (LabelKeyword): "Travel plans" is stored as the atom "Travel&20plans".
        Assert.Equal([MessageFlags.Seen, MessageFlags.Flagged, "$Important", "Work", "Travel&20plans"], updated.Flags);
        Assert.Equal(["Work", "Travel plans"], updated.Labels);
        Assert.Equal(delivered.Modseq + 1, updated.Modseq);
        var stored = await _rows.MessageAsync(box.AccountId, id);
        Assert.Equal(updated.Flags, stored!.Flags);
        Assert.Equal(updated.Labels, stored.Labels);
        Assert.Equal(0, (await box.FolderAsync(SpecialFolders.Inbox)).UnseenCount);

        var relabelled = await box.Grain.UpdateMessageAsync(id, new MessageUpdate(RemoveFlags: ["\\FLAGGED"], RemoveLabels: ["Work"], AddLabels: ["Done"]));

        Assert.Equal([MessageFlags.Seen, "$Important", "Travel&20plans", "Done"], relabelled.Flags);
        Assert.Equal(["Travel plans", "Done"], relabelled.Labels);
        Assert.Equal(updated.Modseq + 1, relabelled.Modseq);
        Assert.Equal(
            [MailboxChangeKind.Added, MailboxChangeKind.FlagsChanged, MailboxChangeKind.FlagsChanged],
            (await _rows.ChangesAsync(box.AccountId)).Select(c => c.Kind));
    }

    [Fact]
    public async Task DeliveredFlagsAreCanonicalizedAndSeenMessagesAreNotCountedUnseen()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var delivery = await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("already read"),
            flags: ["\\seen", "\\Seen", "$Forwarded"], labels: ["inbox-rule"]);

        var result = await box.Grain.DeliverAsync(delivery);

        var record = await box.MessageAsync(result.MessageId);
        Assert.Equal([MessageFlags.Seen, "$Forwarded", "inbox-rule"], record.Flags);
        Assert.Equal(["inbox-rule"], record.Labels);
        var inbox = await box.FolderAsync(SpecialFolders.Inbox);
        Assert.Equal((1, 0), (inbox.MessageCount, inbox.UnseenCount));
    }

    [Fact]
    public async Task UpdateThatChangesNothingWritesNothing()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var (id, _) = await DeliverAsync(box, "no-op");
        var flagged = await box.Grain.UpdateMessageAsync(id, new MessageUpdate(AddFlags: [MessageFlags.Seen, "$Important"], AddLabels: ["Work"]));
        var rowsBefore = await _rows.CountAllAsync(box.AccountId);
        var changesBefore = await _rows.ChangesAsync(box.AccountId);
        var inboxBefore = await box.FolderAsync(SpecialFolders.Inbox);

        var again = await box.Grain.UpdateMessageAsync(id, new MessageUpdate(
            AddFlags: ["\\SEEN", "$Important"], RemoveFlags: [MessageFlags.Answered], AddLabels: ["Work"], RemoveLabels: ["Absent"], MoveTo: "inbox"));
        var empty = await box.Grain.UpdateMessageAsync(id, new MessageUpdate());

        Assert.Equal(flagged.Modseq, again.Modseq);
        Assert.Equal(flagged.Flags, again.Flags);
        Assert.Equal(flagged.Labels, again.Labels);
        Assert.Equal(flagged.Modseq, empty.Modseq);
        Assert.Equal(rowsBefore, await _rows.CountAllAsync(box.AccountId));
        Assert.Equal(changesBefore, await _rows.ChangesAsync(box.AccountId));
        Assert.Equal(inboxBefore, await box.FolderAsync(SpecialFolders.Inbox));
        Assert.Equal(flagged.Modseq, (await _rows.MailboxAsync(box.AccountId)).HighestModseq);
    }

    [Theory]
    [InlineData("\\Recent")]
    [InlineData("\\Nonsense")]
    [InlineData("two words")]
    [InlineData("")]
    public async Task InvalidFlagIsRefusedAndWritesNothing(string flag)
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var (id, delivered) = await DeliverAsync(box, "bad flag");

        await TestMailbox.RefusedAsync(MailErrorCode.Invalid, () => box.Grain.UpdateMessageAsync(id, new MessageUpdate(AddFlags: [flag])));

        Assert.Equivalent(delivered, await box.MessageAsync(id), strict: true);
        Assert.Single(await _rows.ChangesAsync(box.AccountId));
    }

    [Fact]
    public async Task MoveAssignsTheDestinationsNextUidAndLogsExpungedThenAdded()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        await DeliverAsync(box, "stays");
        var (id, moving) = await DeliverAsync(box, "moves", flags: [MessageFlags.Seen]);
        var (_, alreadyArchived) = await DeliverAsync(box, "archived before", SpecialFolders.Archive);
        var inboxBefore = await box.FolderAsync(SpecialFolders.Inbox);
        var archiveBefore = await box.FolderAsync(SpecialFolders.Archive);
        var quotaBefore = await box.Grain.GetQuotaAsync();

        var moved = await box.Grain.UpdateMessageAsync(id, new MessageUpdate(MoveTo: "Archive"));

        Assert.Equal(SpecialFolders.Archive, moved.Folder);
        Assert.Equal(id, moved.MessageId);
        Assert.Equal(alreadyArchived.Uid + 1, moved.Uid);
        Assert.Equal(archiveBefore.UidNext, moved.Uid);
        Assert.Equivalent(moved, await box.MessageAsync(id), strict: true);
        var stored = await _rows.MessageAsync(box.AccountId, id);
        Assert.Equal((archiveBefore.FolderId, moved.Uid, moved.Modseq), (stored!.FolderId, stored.Uid, stored.Modseq));

        var changes = await _rows.ChangesAsync(box.AccountId);
        Assert.Equal(
            [
                new MailboxChange(moved.Modseq - 1, MailboxChangeKind.Expunged, inboxBefore.FolderId, id, moving.Uid),
                new MailboxChange(moved.Modseq, MailboxChangeKind.Added, archiveBefore.FolderId, id, moved.Uid),
            ],
            changes[^2..]);
        Assert.Equal(5, changes.Count);
        Assert.Equal(alreadyArchived.Modseq + 2, moved.Modseq);

        var inbox = await box.FolderAsync(SpecialFolders.Inbox);
        var archive = await box.FolderAsync(SpecialFolders.Archive);
        Assert.Equal(inboxBefore with
        {
            MessageCount = 1, UnseenCount = 1, TotalSize = inboxBefore.TotalSize - moving.Size, HighestModseq = moved.Modseq - 1,
        }, inbox);
        Assert.Equal(archiveBefore with
        {
            UidNext = moved.Uid + 1, MessageCount = 2, UnseenCount = 1, TotalSize = archiveBefore.TotalSize + moving.Size, HighestModseq = moved.Modseq,
        }, archive);
        Assert.Equal(inbox, await _rows.FolderAsync(box.AccountId, SpecialFolders.Inbox));
        Assert.Equal(archive, await _rows.FolderAsync(box.AccountId, SpecialFolders.Archive));
        Assert.Equal(quotaBefore, await box.Grain.GetQuotaAsync());
        Assert.Single((await box.Grain.ListMessagesAsync(SpecialFolders.Inbox, 0, 10)).Items);
        Assert.Contains(id, (await box.Grain.ListMessagesAsync(SpecialFolders.Archive, 0, 10)).Items.Select(m => m.MessageId));
    }

    [Fact]
    public async Task MoveToAMissingFolderIsNotFoundAndWritesNothing()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var (id, delivered) = await DeliverAsync(box, "nowhere to go");

        await TestMailbox.RefusedAsync(MailErrorCode.NotFound, () => box.Grain.UpdateMessageAsync(id, new MessageUpdate(MoveTo: "No/Such")));
        await TestMailbox.RefusedAsync(MailErrorCode.NotFound, () => box.Grain.UpdateMessageAsync(id + 100, new MessageUpdate(AddFlags: [MessageFlags.Seen])));

        Assert.Equivalent(delivered, await box.MessageAsync(id), strict: true);
        Assert.Single(await _rows.ChangesAsync(box.AccountId));
    }

    [Fact]
    public async Task CopyCreatesANewMessageSharingTheBlobAndGrowsQuota()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var (id, original) = await DeliverAsync(box, "copy me", flags: [MessageFlags.Seen], labels: ["keep"]);
        var quotaBefore = await box.Grain.GetQuotaAsync();
        var trashBefore = await box.FolderAsync(SpecialFolders.Trash);

        var copy = await box.Grain.CopyMessageAsync(id, SpecialFolders.Trash);

        Assert.NotEqual(id, copy.MessageId);
        Assert.Equal(SpecialFolders.Trash, copy.Folder);
        Assert.Equal(1, copy.Uid);
        Assert.Equal(original.Modseq + 1, copy.Modseq);
        Assert.Equal(original.Blob, copy.Blob);
        Assert.Equal(original.Flags, copy.Flags);
        Assert.Equal(original.Labels, copy.Labels);
        Assert.Equal(original.ThreadId, copy.ThreadId);
        Assert.Equal(original.Summary.Subject, copy.Summary.Subject);
        Assert.Equivalent(copy, await box.MessageAsync(copy.MessageId), strict: true);
        Assert.Equivalent(original, await box.MessageAsync(id), strict: true);

        var rows = await _rows.MessagesAsync(box.AccountId);
        Assert.Equal(2, rows.Count);
        Assert.Single(rows.Select(r => (r.BlobTenant, r.BlobName)).Distinct());
        Assert.Equal(new QuotaInfo(quotaBefore.UsedBytes + original.Size, quotaBefore.LimitBytes, 2), await box.Grain.GetQuotaAsync());
        Assert.Equal(quotaBefore.UsedBytes + original.Size, (await _rows.MailboxAsync(box.AccountId)).QuotaUsed);
        Assert.Equal(trashBefore with { UidNext = 2, MessageCount = 1, UnseenCount = 0, TotalSize = original.Size, HighestModseq = copy.Modseq },
            await box.FolderAsync(SpecialFolders.Trash));
        Assert.Equal(new MailboxChange(copy.Modseq, MailboxChangeKind.Added, trashBefore.FolderId, copy.MessageId, 1),
            (await _rows.ChangesAsync(box.AccountId))[^1]);
    }

    [Fact]
    public async Task CopyOverQuotaIsRefusedAndWritesNothing()
    {
        var tenant = await Accounts.TestTenant.CreateAsync(fixture.Grains);
        var delivery = await _messages.DeliveryAsync(tenant.TenantId, TestMessages.Build("half the quota", padding: 500));
        var box = await TestMailbox.CreateAsync(fixture.Grains, tenant, "copier", quotaBytes: delivery.Blob.Length * 3 / 2);
        var id = (await box.Grain.DeliverAsync(delivery)).MessageId;
        var rowsBefore = await _rows.CountAllAsync(box.AccountId);

        await TestMailbox.RefusedAsync(MailErrorCode.QuotaExceeded, () => box.Grain.CopyMessageAsync(id, SpecialFolders.Archive));

        Assert.Equal(rowsBefore, await _rows.CountAllAsync(box.AccountId));
        Assert.Equal(delivery.Blob.Length, (await box.Grain.GetQuotaAsync()).UsedBytes);
    }

    [Fact]
    public async Task ExpungeRemovesTheRowFreesQuotaAndLogsExpunged()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var (keptId, kept) = await DeliverAsync(box, "kept");
        var (id, doomed) = await DeliverAsync(box, "doomed", padding: 3_000);
        var inboxBefore = await box.FolderAsync(SpecialFolders.Inbox);

        await box.Grain.ExpungeMessageAsync(id);

        Assert.Null(await box.Grain.GetMessageAsync(id));
        Assert.Null(await _rows.MessageAsync(box.AccountId, id));
        Assert.NotNull(await _rows.MessageAsync(box.AccountId, keptId));
        Assert.Equal(new QuotaInfo(kept.Size, (await box.Grain.GetQuotaAsync()).LimitBytes, 1), await box.Grain.GetQuotaAsync());
        var mailbox = await _rows.MailboxAsync(box.AccountId);
        Assert.Equal((kept.Size, 1L, doomed.Modseq + 1), (mailbox.QuotaUsed, mailbox.MessageCount, mailbox.HighestModseq));
        var inbox = await box.FolderAsync(SpecialFolders.Inbox);
        Assert.Equal(inboxBefore with { MessageCount = 1, UnseenCount = 1, TotalSize = kept.Size, HighestModseq = doomed.Modseq + 1 }, inbox);
        Assert.Equal(inbox, await _rows.FolderAsync(box.AccountId, SpecialFolders.Inbox));
        Assert.Equal(new MailboxChange(doomed.Modseq + 1, MailboxChangeKind.Expunged, inbox.FolderId, id, doomed.Uid),
            (await _rows.ChangesAsync(box.AccountId))[^1]);

        // UIDs are never reused: the next delivery gets a new one.
        var (_, next) = await DeliverAsync(box, "after expunge");
        Assert.Equal(3, next.Uid);
        await TestMailbox.RefusedAsync(MailErrorCode.NotFound, () => box.Grain.ExpungeMessageAsync(id));
    }

    [Fact]
    public async Task StoringFlagsOnARangeIsOneWriteWithAModseqPerChangedMessage()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var (a, _) = await DeliverAsync(box, "a");
        var (b, _) = await DeliverAsync(box, "b", flags: [MessageFlags.Seen]);
        var (c, _) = await DeliverAsync(box, "c");
        var before = await box.FolderAsync(SpecialFolders.Inbox);
        Assert.Equal(2, before.UnseenCount);

        var result = await box.Grain.StoreFlagsAsync([a, b, c, 999_999], FlagStoreMode.Add, ["\\seen", "$Done"], unchangedSince: null);

        // b already had \Seen but gains $Done; the missing id is skipped.
        Assert.Equal([a, b, c], result.Stored.Select(s => s.MessageId));
        Assert.All(result.Stored, s => Assert.Equal([MessageFlags.Seen, "$Done"], s.Flags));
        Assert.Equal(Enumerable.Range(1, 3).Select(i => before.HighestModseq + i), result.Stored.Select(s => s.Modseq));
        Assert.Empty(result.Modified);
        var inbox = await box.FolderAsync(SpecialFolders.Inbox);
        Assert.Equal((0, before.HighestModseq + 3), (inbox.UnseenCount, inbox.HighestModseq));
        Assert.Equal(inbox, await _rows.FolderAsync(box.AccountId, SpecialFolders.Inbox));
        Assert.Equal([MessageFlags.Seen, "$Done"], (await _rows.MessageAsync(box.AccountId, c))!.Flags);
        var changes = (await _rows.ChangesAsync(box.AccountId))[^3..];
        Assert.Equal([a, b, c], changes.Select(ch => ch.MessageId!.Value));
        Assert.All(changes, ch => Assert.Equal(MailboxChangeKind.FlagsChanged, ch.Kind));

        // Nothing to change: no write, no new MODSEQ.
        var again = await box.Grain.StoreFlagsAsync([a], FlagStoreMode.Add, [MessageFlags.Seen], unchangedSince: null);
        Assert.Equal(result.Stored[0].Modseq, Assert.Single(again.Stored).Modseq);
        Assert.Equal(inbox.HighestModseq, (await box.FolderAsync(SpecialFolders.Inbox)).HighestModseq);
    }

    [Fact]
    public async Task StoringFlagsUnchangedSinceLeavesNewerMessagesAloneAndReportsThem()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var (a, first) = await DeliverAsync(box, "a");
        var (b, _) = await DeliverAsync(box, "b");
        var newer = await box.Grain.UpdateMessageAsync(b, new MessageUpdate(AddFlags: [MessageFlags.Flagged]));

        var result = await box.Grain.StoreFlagsAsync([a, b], FlagStoreMode.Replace, [MessageFlags.Answered], unchangedSince: first.Modseq);

        Assert.Equal([b], result.Modified);
        var stored = Assert.Single(result.Stored);
        Assert.Equal(a, stored.MessageId);
        Assert.Equal([MessageFlags.Answered], stored.Flags);
        Assert.Equal(newer.Flags, (await _rows.MessageAsync(box.AccountId, b))!.Flags);
        Assert.Equal(2, (await box.FolderAsync(SpecialFolders.Inbox)).UnseenCount);
    }

    [Fact]
    public async Task CopyingARangeOverQuotaCopiesNothingAndMovingARangeMovesItAtomically()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var (a, _) = await DeliverAsync(box, "a", padding: 1000);
        var (b, _) = await DeliverAsync(box, "b", flags: [MessageFlags.Seen], padding: 1000);
        await box.Grain.CreateFolderAsync("Kept");
        var used = (await box.Grain.GetQuotaAsync()).UsedBytes;
        var size = (await box.MessageAsync(a)).Size + (await box.MessageAsync(b)).Size;
        await box.Grain.SetQuotaLimitAsync(used + size - 1);

        await TestMailbox.RefusedAsync(MailErrorCode.QuotaExceeded, () => box.Grain.PlaceMessagesAsync([a, b], "Kept", move: false));
        Assert.Equal((0, 0L), ((await box.FolderAsync("Kept")).MessageCount, (await box.Grain.GetQuotaAsync()).UsedBytes - used));

        var moved = await box.Grain.PlaceMessagesAsync([a, b, 424242], "Kept", move: true);

        Assert.Equal([(a, a, 1L), (b, b, 2L)], moved.Select(p => (p.SourceMessageId, p.MessageId, p.Uid)));
        var inbox = await box.FolderAsync(SpecialFolders.Inbox);
        var kept = await box.FolderAsync("Kept");
        Assert.Equal((0, 0, 0L), (inbox.MessageCount, inbox.UnseenCount, inbox.TotalSize));
        Assert.Equal((2, 1, size), (kept.MessageCount, kept.UnseenCount, kept.TotalSize));
        Assert.Equal(kept, await _rows.FolderAsync(box.AccountId, "Kept"));
        Assert.Equal("Kept", (await box.MessageAsync(b)).Folder);
        var changes = (await _rows.ChangesAsync(box.AccountId))[^4..];
        Assert.Equal([MailboxChangeKind.Expunged, MailboxChangeKind.Added, MailboxChangeKind.Expunged, MailboxChangeKind.Added], changes.Select(c => c.Kind));
    }

    private async Task<(long Id, MessageRecord Record)> DeliverAsync(
        TestMailbox box, string subject, string folder = SpecialFolders.Inbox, IReadOnlyList<string>? flags = null,
        IReadOnlyList<string>? labels = null, int padding = 0)
    {
        var delivery = await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build(subject, padding: padding), folder, flags, labels);
        var result = await box.Grain.DeliverAsync(delivery);
        return (result.MessageId, await box.MessageAsync(result.MessageId));
    }
}
