using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>The fencing epoch: an activation that lost the mailbox to another writes nothing and steps down.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class MailboxFencingTests(MailClusterFixture fixture)
{
    private readonly TestMessages _messages = new(fixture);
    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task WriteAfterAnotherActivationTookOverIsFencedWritesNothingAndTheNextCallReactivates()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var first = await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("before")));
        var before = await _rows.MailboxAsync(box.AccountId);

        // What a second activation does on start (MailboxStore.ActivateAsync), plus progress it made since.
        await TakeOverAsync(box.AccountId, modseqProgress: 10);
        var rowsAfterTakeOver = await _rows.CountAllAsync(box.AccountId);
        var fenced = await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("fenced"));

        await TestMailbox.RefusedAsync(MailErrorCode.Fenced, () => box.Grain.DeliverAsync(fenced));

        Assert.Equal(rowsAfterTakeOver, await _rows.CountAllAsync(box.AccountId));
        Assert.Single(await _rows.MessagesAsync(box.AccountId));
        Assert.Null(await _rows.ScalarAsync<long?>(
            "SELECT message_id FROM mailbox_deliveries WHERE account_id = @a AND delivery_id = @d", ("a", box.AccountId), ("d", fenced.DeliveryId)));
        var afterFence = await _rows.MailboxAsync(box.AccountId);
        // The take-over's epoch, or a later one: a background reader (the search indexer's sweep) may already have
        // activated the mailbox again, which takes an epoch too. The fenced write changed nothing either way.
        Assert.True(afterFence.Epoch >= before.Epoch + 1, $"epoch {afterFence.Epoch} should be at least {before.Epoch + 1}");
        Assert.Equal((before.HighestModseq + 10, before.QuotaUsed, before.MessageCount),
            (afterFence.HighestModseq, afterFence.QuotaUsed, afterFence.MessageCount));

        // The fenced activation deactivates; the retry lands on a new one, which takes a new epoch and the stored counters.
        var retried = await RetryWhileFencedAsync(() => box.Grain.DeliverAsync(fenced));

        Assert.False(retried.Duplicate);
        Assert.Equal(first.MessageId + 1, retried.MessageId);
        var record = await box.MessageAsync(retried.MessageId);
        Assert.Equal(before.HighestModseq + 10 + 1, record.Modseq);
        Assert.Equal(2, record.Uid);
        var now = await _rows.MailboxAsync(box.AccountId);
        Assert.True(now.Epoch > before.Epoch + 1, $"epoch {now.Epoch} should be past the take-over's {before.Epoch + 1}");
        Assert.Equal((record.Modseq, 2L), (now.HighestModseq, now.MessageCount));
        Assert.Equal(2, await _rows.CountAsync("mailbox_messages", box.AccountId));
    }

    [Theory]
    [InlineData("flags")]
    [InlineData("folder")]
    [InlineData("expunge")]
    [InlineData("quota")]
    [InlineData("purge")]
    [InlineData("acl")]
    public async Task EveryKindOfWriteIsFencedAfterATakeOver(string write)
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var id = (await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("fence me")))).MessageId;
        await TakeOverAsync(box.AccountId, modseqProgress: 0);
        var rowsBefore = await _rows.CountAllAsync(box.AccountId);
        var quotaBefore = await _rows.ScalarAsync<long>("SELECT quota_limit FROM mailboxes WHERE account_id = @a", ("a", box.AccountId));

        Func<Task> call = write switch
        {
            "flags" => () => box.Grain.UpdateMessageAsync(id, new MessageUpdate(AddFlags: [MessageFlags.Seen])),
            "folder" => () => box.Grain.CreateFolderAsync("Fenced"),
            "expunge" => () => box.Grain.ExpungeMessageAsync(id),
            "purge" => () => box.Grain.PurgeAsync(),
            "acl" => () => box.Grain.ChangeAclAsync(SpecialFolders.Inbox, "anyone", AclEdit.Replace, "lr"),
            _ => () => box.Grain.SetQuotaLimitAsync(1),
        };
        await TestMailbox.RefusedAsync(MailErrorCode.Fenced, call);

        Assert.Equal(rowsBefore, await _rows.CountAllAsync(box.AccountId));
        Assert.Empty((await _rows.MessageAsync(box.AccountId, id))!.Flags);
        Assert.Equal(quotaBefore, await _rows.ScalarAsync<long>("SELECT quota_limit FROM mailboxes WHERE account_id = @a", ("a", box.AccountId)));
        await RetryWhileFencedAsync(async () => await box.Grain.UpdateMessageAsync(id, new MessageUpdate(AddLabels: ["after"])));
    }

    private async Task TakeOverAsync(string accountId, long modseqProgress)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "UPDATE mailboxes SET epoch = epoch + 1, highest_modseq = highest_modseq + @p WHERE account_id = @a", connection);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("p", modseqProgress);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task<T> RetryWhileFencedAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (MailException e) when (e.Code == MailErrorCode.Fenced && attempt < 5)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }
}
