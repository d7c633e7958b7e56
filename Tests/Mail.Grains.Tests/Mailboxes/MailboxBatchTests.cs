using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Mailboxes;
using Mail.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>
/// Group commit within one mailbox (#16): deliveries to one mailbox filed as one batch share a transaction, get UIDs and
/// MODSEQs in order, and each answers as if delivered alone (a duplicate, a refusal over quota).
/// </summary>
[Collection(MailClusterCollection.Name)]
public sealed class MailboxBatchTests(MailClusterFixture fixture)
{
    private readonly TestMessages _messages = new(fixture);
    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task ABatchIsFiledInOneTransactionInOrderAndSurvivesReactivation()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build($"batch {i}"))));

        var outcomes = await box.Grain.DeliverBatchAsync(deliveries);

        Assert.All(outcomes, o => Assert.False(Assert.IsType<DeliveryResult>(o.Result).Duplicate));
        Assert.Equal(10, outcomes.Select(o => o.Result!.MessageId).Distinct().Count());
        Assert.Equal(1, await TransactionsAsync(box.AccountId));
        var changes = await _rows.ChangesAsync(box.AccountId);
        var added = changes.Where(c => c.Kind == MailboxChangeKind.Added).ToList();
        Assert.Equal(outcomes.Select(o => o.Result!.MessageId), added.Select(c => c.MessageId!.Value));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), added.Select(c => c.Uid!.Value));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => added[0].Modseq + i), added.Select(c => c.Modseq));

        var inMemory = await box.FolderAsync(SpecialFolders.Inbox);
        await fixture.Cluster.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var reloaded = await box.FolderAsync(SpecialFolders.Inbox);
        Assert.Equal(inMemory, reloaded);
        Assert.Equal(11, reloaded.UidNext);
        Assert.Equal(10, reloaded.MessageCount);
        Assert.Equal(added[^1].Modseq, await box.Grain.GetHighestModseqAsync());
    }

    [Fact]
    public async Task ADuplicateInABatchIsRecognisedAndTheOthersAreFiledOnceWithRightCounters()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build($"dup {i}"))));
        var first = await box.Grain.DeliverAsync(deliveries[2]);

        var outcomes = await box.Grain.DeliverBatchAsync(deliveries);

        Assert.True(outcomes[2].Result!.Duplicate);
        Assert.Equal(first.MessageId, outcomes[2].Result!.MessageId);
        Assert.All(outcomes.Where((_, i) => i != 2), o => Assert.False(o.Result!.Duplicate));
        Assert.Equal(6, await _rows.CountAsync("mailbox_messages", box.AccountId));
        var inbox = await box.FolderAsync(SpecialFolders.Inbox);
        Assert.Equal(6, inbox.MessageCount);
        await fixture.Cluster.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(inbox, await box.FolderAsync(SpecialFolders.Inbox));
        Assert.Equal(6, (await box.Grain.GetQuotaAsync()).MessageCount);
    }

    [Fact]
    public async Task ADeliveryOverQuotaInABatchIsRefusedAloneAndAMissingFolderToo()
    {
        var probe = TestMessages.Build("quota probe");
        var size = (await _messages.DeliveryAsync((await TestMailbox.CreateAsync(fixture.Grains)).Tenant.TenantId, probe)).Blob.Length;
        var box = await TestMailbox.CreateAsync(fixture.Grains, quotaBytes: size * 3 + size / 2);
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("quota probe"))));
        var lost = await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("quota probe"), folder: "No such folder");

        var outcomes = await box.Grain.DeliverBatchAsync([.. deliveries, lost]);

        Assert.All(outcomes.Take(3), o => Assert.NotNull(o.Result));
        Assert.Equal(MailErrorCode.QuotaExceeded, outcomes[3].Error);
        Assert.Equal(MailErrorCode.NotFound, outcomes[4].Error);
        Assert.Equal(3, await _rows.CountAsync("mailbox_messages", box.AccountId));
    }

    [Fact]
    public async Task ConcurrentDeliveriesThroughTheBatcherShareTransactionsAndEachIsFiledOnce()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var batcher = fixture.SiloServices.GetRequiredService<MailboxDeliveryBatcher>();
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build($"hot {i}"))));

        var results = await Task.WhenAll(deliveries.Select(d => batcher.DeliverAsync(box.AccountId, d)));

        Assert.Equal(40, results.Select(r => r.MessageId).Distinct().Count());
        Assert.All(results, r => Assert.False(r.Duplicate));
        Assert.Equal(40, await _rows.CountAsync("mailbox_messages", box.AccountId));
        var transactions = await TransactionsAsync(box.AccountId);
        Assert.True(transactions < 40, $"40 deliveries to one mailbox took {transactions} transactions: none was shared");
        // Retried through the batcher, every one is recognised as filed.
        var retried = await Task.WhenAll(deliveries.Select(d => batcher.DeliverAsync(box.AccountId, d)));
        Assert.Equal(results.Select(r => r.MessageId), retried.Select(r => r.MessageId));
        Assert.All(retried, r => Assert.True(r.Duplicate));
    }

    /// <summary>How many transactions wrote the account's message rows (rows written by one transaction share its xmin).</summary>
    private async Task<long> TransactionsAsync(string accountId)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(DISTINCT xmin::text) FROM mailbox_messages WHERE account_id = @a", connection);
        command.Parameters.AddWithValue("a", accountId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
