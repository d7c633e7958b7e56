using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>
/// The mailbox state IMAP relies on beyond messages: the \Recent horizon each folder keeps (RFC 3501 §2.3.2), names that
/// stay subscribed after their folder is deleted (RFC 9051 §6.3.7), a MOVE into the folder a message is in, and the
/// \Deleted count of STATUS DELETED. Each survives a new activation, read back from PostgreSQL.
/// </summary>
[Collection(MailClusterCollection.Name)]
public sealed class MailboxImapStateTests(MailClusterFixture fixture)
{
    private readonly TestMessages _messages = new(fixture);
    private readonly MailboxRows _rows = new(fixture);

    private Task ReactivateAsync() => fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    [Fact]
    public async Task RecentMessagesAreClaimedOnceAndTheHorizonIsKept()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        for (var i = 0; i < 3; i++) await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("m" + i)));
        var inbox = (await box.FolderAsync(SpecialFolders.Inbox)).FolderId;
        var modseq = (await _rows.MailboxAsync(box.AccountId)).HighestModseq;

        Assert.Equal(1, await box.Grain.ClaimRecentAsync(inbox, 4, claim: false));
        Assert.Equal(3, await box.Grain.CountRecentAsync(inbox));
        Assert.Equal(1, await box.Grain.ClaimRecentAsync(inbox, 3, claim: true));
        Assert.Equal(1, await box.Grain.CountRecentAsync(inbox));
        Assert.Equal(3, await box.Grain.ClaimRecentAsync(inbox, 100, claim: true));
        Assert.Equal(0, await box.Grain.CountRecentAsync(inbox));
        // Claiming is no change of any message: no MODSEQ, no change-log row.
        Assert.Equal(modseq, (await _rows.MailboxAsync(box.AccountId)).HighestModseq);

        await ReactivateAsync();
        Assert.Equal(4, await box.Grain.ClaimRecentAsync(inbox, 4, claim: true));
        Assert.Equal(4L, await _rows.ScalarAsync<long>(
            "SELECT first_recent_uid FROM mailbox_folders WHERE account_id = @a AND folder_id = @f", ("a", box.AccountId), ("f", inbox)));
        await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("later")));
        Assert.Equal(1, await box.Grain.CountRecentAsync(inbox));
        Assert.Equal(99, await box.Grain.ClaimRecentAsync(folderId: 9999, 99, claim: true));
    }

    [Fact]
    public async Task ADeletedSubscribedFolderStaysSubscribedUntilUnsubscribedOrCreatedAgain()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var created = await box.Grain.CreateFolderAsync("Lists/Old", subscribe: false);
        Assert.False(created.Subscribed);
        Assert.DoesNotContain("Lists", await box.Grain.ListSubscriptionsAsync());
        await box.Grain.SetSubscribedAsync("Lists/Old", true);
        await box.Grain.DeleteFolderAsync("Lists/Old");

        Assert.Contains("Lists/Old", await box.Grain.ListSubscriptionsAsync());
        await ReactivateAsync();
        Assert.Contains("Lists/Old", await box.Grain.ListSubscriptionsAsync());
        Assert.Equal(1L, await _rows.ScalarAsync<long>("SELECT count(*) FROM mailbox_subscriptions WHERE account_id = @a", ("a", box.AccountId)));

        Assert.True((await box.Grain.CreateFolderAsync("Lists/Old", subscribe: false)).Subscribed);
        Assert.Equal(0L, await _rows.ScalarAsync<long>("SELECT count(*) FROM mailbox_subscriptions WHERE account_id = @a", ("a", box.AccountId)));
        await box.Grain.DeleteFolderAsync("Lists/Old");
        await box.Grain.SetSubscribedAsync("Lists/Old", false);
        Assert.DoesNotContain("Lists/Old", await box.Grain.ListSubscriptionsAsync());
        await ReactivateAsync();
        Assert.DoesNotContain("Lists/Old", await box.Grain.ListSubscriptionsAsync());
    }

    [Fact]
    public async Task AMoveIntoTheSameFolderGivesANewUidAndTheDeletedCountFollowsFlags()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var id = (await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("mover"), flags: [MessageFlags.Deleted]))).MessageId;
        var inbox = await box.FolderAsync(SpecialFolders.Inbox);
        Assert.Equal(1, await box.Grain.CountDeletedAsync(inbox.FolderId));

        var placed = Assert.Single(await box.Grain.PlaceMessagesAsync([id], SpecialFolders.Inbox, move: true));

        Assert.Equal((id, id, 2L), (placed.SourceMessageId, placed.MessageId, placed.Uid));
        Assert.Equal(2, (await box.MessageAsync(id)).Uid);
        Assert.Equal(3, (await box.FolderAsync(SpecialFolders.Inbox)).UidNext);
        var changes = (await _rows.ChangesAsync(box.AccountId)).TakeLast(2).ToList();
        Assert.Equal([(MailboxChangeKind.Expunged, 1L), (MailboxChangeKind.Added, 2L)], changes.Select(c => (c.Kind, c.Uid!.Value)));
        Assert.Equal(1, (await box.FolderAsync(SpecialFolders.Inbox)).MessageCount);
        Assert.Equal(1, await box.Grain.CountDeletedAsync(inbox.FolderId));
    }
}
