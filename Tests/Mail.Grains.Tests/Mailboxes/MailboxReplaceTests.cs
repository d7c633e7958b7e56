using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>IMAP REPLACE's grain write (RFC 8508 §3.4): the new message and the old one's expunge in one transaction.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class MailboxReplaceTests(MailClusterFixture fixture)
{
    private readonly TestMessages _messages = new(fixture);
    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task ReplaceAddsTheNewMessageAndExpungesTheOldWithConsecutiveModseqs()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var first = await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("draft 1"), SpecialFolders.Drafts, null, null));
        var drafts = await box.FolderAsync(SpecialFolders.Drafts);
        var old = await box.MessageAsync(first.MessageId);
        var replacement = await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("draft 2", padding: 500), SpecialFolders.Drafts, [MessageFlags.Seen], null);

        var placed = await box.Grain.ReplaceAsync(replacement, drafts.FolderId, old.Uid);

        Assert.Equal(first.MessageId, placed.SourceMessageId);
        Assert.Equal(old.Uid + 1, placed.Uid);
        Assert.Null(await box.Grain.GetMessageAsync(first.MessageId));
        var added = await box.MessageAsync(placed.MessageId);
        Assert.Equal(placed.Uid, added.Uid);
        var changes = await _rows.ChangesAsync(box.AccountId);
        Assert.Equal(new MailboxChange(added.Modseq, MailboxChangeKind.Added, drafts.FolderId, placed.MessageId, placed.Uid), changes[^2]);
        Assert.Equal(new MailboxChange(added.Modseq + 1, MailboxChangeKind.Expunged, drafts.FolderId, first.MessageId, old.Uid), changes[^1]);
        var after = await box.FolderAsync(SpecialFolders.Drafts);
        Assert.Equal((1, 0, added.Modseq + 1, placed.Uid + 1), (after.MessageCount, after.UnseenCount, after.HighestModseq, after.UidNext));
        Assert.Equal(after, await _rows.FolderAsync(box.AccountId, SpecialFolders.Drafts));
        var quota = await box.Grain.GetQuotaAsync();
        Assert.Equal((added.Size, 1L), (quota.UsedBytes, quota.MessageCount));
        var slot = Assert.Single(await box.Grain.GetSlotsAsync(drafts.FolderId, [placed.Uid]));
        Assert.NotNull(slot.SaveDate);
        Assert.Equal(added.ThreadId, slot.ThreadId);
    }

    [Fact]
    public async Task ReplaceOfAMessageThatIsGoneWritesNothing()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("kept"), SpecialFolders.Drafts, null, null));
        var drafts = await box.FolderAsync(SpecialFolders.Drafts);
        var changes = await _rows.ChangesAsync(box.AccountId);
        var replacement = await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("never"), SpecialFolders.Sent, null, null);

        var refused = await Assert.ThrowsAsync<MailException>(() => box.Grain.ReplaceAsync(replacement, drafts.FolderId, 99));

        Assert.Equal(MailErrorCode.NotFound, refused.Code);
        Assert.Equal(changes, await _rows.ChangesAsync(box.AccountId));
        Assert.Equal(0, (await box.FolderAsync(SpecialFolders.Sent)).MessageCount);
        Assert.Equal(drafts, await box.FolderAsync(SpecialFolders.Drafts));
    }
}
