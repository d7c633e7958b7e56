using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Accounts;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>Provisioning, delivery, UIDs, MODSEQs, the change log, idempotent delivery ids and quota.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class MailboxDeliveryTests(MailClusterFixture fixture)
{
    private readonly TestMessages _messages = new(fixture);
    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task NewAccountMailboxHasSpecialFoldersWithSpecialUseAndFreshCounters()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains, quotaBytes: 123_456);

        var folders = await box.Grain.ListFoldersAsync();

        Assert.Equal(SpecialFolders.Inbox, folders[0].Name);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["INBOX"] = null, ["Sent"] = "\\Sent", ["Drafts"] = "\\Drafts", ["Trash"] = "\\Trash", ["Junk"] = "\\Junk", ["Archive"] = "\\Archive",
            },
            folders.ToDictionary(f => f.Name, f => f.SpecialUse));
        Assert.All(folders, f =>
        {
            Assert.NotEqual(0, f.UidValidity);
            Assert.Equal(1, f.UidNext);
            Assert.Equal(0, f.HighestModseq);
            Assert.Equal(0, f.MessageCount);
            Assert.Equal(0, f.UnseenCount);
            Assert.Equal(0, f.TotalSize);
        });
        Assert.Equal(folders.Count, folders.Select(f => f.UidValidity).Distinct().Count());
        Assert.Equal(new QuotaInfo(0, 123_456, 0), await box.Grain.GetQuotaAsync());

        Assert.Equal(6, await _rows.CountAsync("mailbox_folders", box.AccountId));
        foreach (var folder in folders) Assert.Equal(folder, await _rows.FolderAsync(box.AccountId, folder.Name));
        var mailbox = await _rows.MailboxAsync(box.AccountId);
        Assert.Equal((0L, 0L, 0L), (mailbox.HighestModseq, mailbox.QuotaUsed, mailbox.MessageCount));
        Assert.Equal(box.Tenant.TenantId, await _rows.ScalarAsync<string>("SELECT tenant_id FROM mailboxes WHERE account_id = @a", ("a", box.AccountId)));
        Assert.Empty(await _rows.ChangesAsync(box.AccountId));
    }

    [Fact]
    public async Task DeliveriesGetConsecutiveUidsIncreasingModseqsAndOneChangeRowEach()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var inbox = await box.FolderAsync(SpecialFolders.Inbox);

        var delivered = new List<MessageRecord>();
        for (var i = 0; i < 3; i++)
        {
            var delivery = await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build($"message {i}", padding: 100 * i));
            var result = await box.Grain.DeliverAsync(delivery);
            Assert.False(result.Duplicate);
            delivered.Add(await box.MessageAsync(result.MessageId));
        }
        var archived = await box.Grain.DeliverAsync(
            await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("archived"), SpecialFolders.Archive));
        var archivedRecord = await box.MessageAsync(archived.MessageId);

        Assert.Equal([1L, 2L, 3L], delivered.Select(m => m.Uid));
        Assert.All(delivered, m => Assert.Equal(SpecialFolders.Inbox, m.Folder));
        Assert.Equal(3, delivered.Select(m => m.MessageId).Distinct().Count());
        var modseqs = delivered.Append(archivedRecord).Select(m => m.Modseq).ToArray();
        Assert.True(modseqs.Zip(modseqs.Skip(1)).All(p => p.First < p.Second), $"MODSEQs not strictly increasing: {string.Join(",", modseqs)}");
        Assert.Equal(1, archivedRecord.Uid);
        Assert.Equal(SpecialFolders.Archive, archivedRecord.Folder);

        var changes = await _rows.ChangesAsync(box.AccountId);
        Assert.Equal(4, changes.Count);
        Assert.All(changes, c => Assert.Equal(MailboxChangeKind.Added, c.Kind));
        Assert.Equal(
            delivered.Select(m => (m.Modseq, inbox.FolderId, (long?)m.MessageId, (long?)m.Uid))
                .Append((archivedRecord.Modseq, (await box.FolderAsync(SpecialFolders.Archive)).FolderId, archivedRecord.MessageId, archivedRecord.Uid)),
            changes.Select(c => (c.Modseq, c.FolderId, c.MessageId, c.Uid)));
        Assert.Equal(changes, await box.Grain.GetChangesAsync(0, 100));
        Assert.Equal(changes.Skip(2), await box.Grain.GetChangesAsync(changes[1].Modseq, 100));

        var sizes = delivered.Sum(m => m.Size);
        Assert.Equal(delivered.Select(m => m.Blob.Length), delivered.Select(m => m.Size));
        var inboxAfter = await box.FolderAsync(SpecialFolders.Inbox);
        Assert.Equal(delivered[^1].Modseq, inboxAfter.HighestModseq);
        Assert.Equal(4, inboxAfter.UidNext);
        Assert.Equal(3, inboxAfter.MessageCount);
        Assert.Equal(3, inboxAfter.UnseenCount);
        Assert.Equal(sizes, inboxAfter.TotalSize);
        Assert.Equal(inboxAfter, await _rows.FolderAsync(box.AccountId, SpecialFolders.Inbox));
        Assert.Equal(archivedRecord.Modseq, (await box.FolderAsync(SpecialFolders.Archive)).HighestModseq);

        var total = sizes + archivedRecord.Size;
        var quota = await box.Grain.GetQuotaAsync();
        Assert.Equal(total, quota.UsedBytes);
        Assert.Equal(4, quota.MessageCount);
        var mailbox = await _rows.MailboxAsync(box.AccountId);
        Assert.Equal((archivedRecord.Modseq, total, 4L), (mailbox.HighestModseq, mailbox.QuotaUsed, mailbox.MessageCount));
        Assert.Equal(total, await _rows.ScalarAsync<decimal>("SELECT sum(size) FROM mailbox_messages WHERE account_id = @a", ("a", box.AccountId)));
        Assert.Equal(4, await _rows.CountAsync("mailbox_deliveries", box.AccountId));
    }

    [Fact]
    public async Task RepeatedDeliveryIdReturnsTheFirstMessageAndWritesNothing()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var delivery = await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("once"));
        var first = await box.Grain.DeliverAsync(delivery);
        var rowsBefore = await _rows.CountAllAsync(box.AccountId);
        var mailboxBefore = await _rows.MailboxAsync(box.AccountId);
        var quotaBefore = await box.Grain.GetQuotaAsync();
        var inboxBefore = await box.FolderAsync(SpecialFolders.Inbox);

        var again = await box.Grain.DeliverAsync(delivery);
        var withOtherContent = await box.Grain.DeliverAsync(
            await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("other")) with { DeliveryId = delivery.DeliveryId });

        Assert.Equal(new DeliveryResult(first.MessageId, Duplicate: true), again);
        Assert.Equal(new DeliveryResult(first.MessageId, Duplicate: true), withOtherContent);
        Assert.Equal(rowsBefore, await _rows.CountAllAsync(box.AccountId));
        var mailboxAfter = await _rows.MailboxAsync(box.AccountId);
        Assert.Equal((mailboxBefore.HighestModseq, mailboxBefore.QuotaUsed, mailboxBefore.MessageCount),
            (mailboxAfter.HighestModseq, mailboxAfter.QuotaUsed, mailboxAfter.MessageCount));
        Assert.Equal(quotaBefore, await box.Grain.GetQuotaAsync());
        Assert.Equal(inboxBefore, await box.FolderAsync(SpecialFolders.Inbox));
        Assert.Single(await _rows.ChangesAsync(box.AccountId));

        // The refused attempts must not have advanced the in-memory counters either.
        var next = await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("next")));
        var nextRecord = await box.MessageAsync(next.MessageId);
        Assert.Equal(first.MessageId + 1, next.MessageId);
        Assert.Equal(2, nextRecord.Uid);
        Assert.Equal(mailboxBefore.HighestModseq + 1, nextRecord.Modseq);
    }

    [Fact]
    public async Task RepeatedDeliveryIdIsRecognisedByANewActivation()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var delivery = await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("survives"));
        var first = await box.Grain.DeliverAsync(delivery);
        var rowsBefore = await _rows.CountAllAsync(box.AccountId);
        var epochBefore = (await _rows.MailboxAsync(box.AccountId)).Epoch;

        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var again = await box.Grain.DeliverAsync(delivery);

        Assert.Equal(new DeliveryResult(first.MessageId, Duplicate: true), again);
        Assert.Equal(rowsBefore, await _rows.CountAllAsync(box.AccountId));
        Assert.True((await _rows.MailboxAsync(box.AccountId)).Epoch > epochBefore, "the new activation should have taken a new epoch");
    }

    [Fact]
    public async Task OverQuotaDeliveryThrowsQuotaExceededAndWritesNothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var fits = await _messages.DeliveryAsync(tenant.TenantId, TestMessages.Build("fits exactly", padding: 2_000));
        var box = await TestMailbox.CreateAsync(fixture.Grains, tenant, "full", quotaBytes: fits.Blob.Length);
        var tooBig = await _messages.DeliveryAsync(tenant.TenantId, TestMessages.Build("too big", padding: 5_000));

        await TestMailbox.RefusedAsync(MailErrorCode.QuotaExceeded, () => box.Grain.DeliverAsync(tooBig));
        Assert.Equal(0, await _rows.CountAsync("mailbox_messages", box.AccountId));
        Assert.Equal(0, await _rows.CountAsync("mailbox_changes", box.AccountId));
        Assert.Equal(0, await _rows.CountAsync("mailbox_deliveries", box.AccountId));
        Assert.Equal(0, (await _rows.MailboxAsync(box.AccountId)).QuotaUsed);

        // A message of exactly the remaining space fits; then not one more byte does.
        Assert.False((await box.Grain.DeliverAsync(fits)).Duplicate);
        Assert.Equal(new QuotaInfo(fits.Blob.Length, fits.Blob.Length, 1), await box.Grain.GetQuotaAsync());
        var rowsWhenFull = await _rows.CountAllAsync(box.AccountId);
        var small = await _messages.DeliveryAsync(tenant.TenantId, TestMessages.Build("small"));
        await TestMailbox.RefusedAsync(MailErrorCode.QuotaExceeded, () => box.Grain.DeliverAsync(small));
        Assert.Equal(rowsWhenFull, await _rows.CountAllAsync(box.AccountId));
        Assert.Equal(fits.Blob.Length, (await _rows.MailboxAsync(box.AccountId)).QuotaUsed);
        Assert.Equal(2, (await box.FolderAsync(SpecialFolders.Inbox)).UidNext);
    }

    [Fact]
    public async Task RepeatedDeliveryIdIsADuplicateEvenWhenTheMailboxIsNowFull()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var delivery = await _messages.DeliveryAsync(tenant.TenantId, TestMessages.Build("fills the mailbox", padding: 1_000));
        var box = await TestMailbox.CreateAsync(fixture.Grains, tenant, "full", quotaBytes: delivery.Blob.Length);
        var first = await box.Grain.DeliverAsync(delivery);

        // A retry (e.g. the MTA never saw the first acknowledgement) must not be bounced as over quota:
        // the message was delivered, and DeliverAsync promises the first result for a repeated id.
        var again = await box.Grain.DeliverAsync(delivery);

        Assert.Equal(new DeliveryResult(first.MessageId, Duplicate: true), again);
    }

    [Fact]
    public async Task InternalDateWithAnOffsetIsStoredAsTheSameInstant()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        // IMAP APPEND (RFC 9051 §6.3.12) carries a date-time with the client's zone.
        var appended = new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.FromHours(-5));
        var delivery = await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("appended")) with { InternalDate = appended };

        var result = await box.Grain.DeliverAsync(delivery);

        Assert.Equal(appended, (await box.MessageAsync(result.MessageId)).InternalDate);
    }
}
