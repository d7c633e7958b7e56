using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Mailboxes;
using Mail.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>Group commit (#16): concurrent mailbox writes share transactions, and each caller still gets its own answer.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class GroupCommitTests(MailClusterFixture fixture)
{
    private readonly TestMessages _messages = new(fixture);
    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task ConcurrentDeliveriesToManyMailboxesShareTransactionsAndEveryOneIsFiledOnce()
    {
        const int Boxes = 30, Rounds = 3;
        var boxes = await Task.WhenAll(Enumerable.Range(0, Boxes).Select(_ => TestMailbox.CreateAsync(fixture.Grains)));
        var groupCommit = fixture.SiloServices.GetRequiredService<GroupCommit>();
        var before = groupCommit.Counters;
        for (var round = 0; round < Rounds; round++)
        {
            var deliveries = await Task.WhenAll(boxes.Select(b => _messages.DeliveryAsync(b.Tenant.TenantId, TestMessages.Build($"round {round}"))));
            var results = await Task.WhenAll(boxes.Select((b, i) => b.Grain.DeliverAsync(deliveries[i])));
            Assert.All(results, r => Assert.False(r.Duplicate));
            // A retry of each delivery after its shared commit is recognised as filed, not filed again.
            var retried = await Task.WhenAll(boxes.Select((b, i) => b.Grain.DeliverAsync(deliveries[i])));
            Assert.Equal(results.Select(r => r.MessageId), retried.Select(r => r.MessageId));
            Assert.All(retried, r => Assert.True(r.Duplicate));
        }
        foreach (var box in boxes)
        {
            Assert.Equal(Rounds, await _rows.CountAsync("mailbox_messages", box.AccountId));
            var changes = await _rows.ChangesAsync(box.AccountId);
            // One change-log row per delivery, MODSEQs without gaps, as if each had committed alone.
            Assert.Equal(changes.Select(c => c.Modseq), Enumerable.Range(0, changes.Count).Select(i => changes[0].Modseq + i));
        }
        var after = groupCommit.Counters;
        var writes = after.Writes - before.Writes;
        var transactions = after.Transactions - before.Transactions;
        Assert.True(writes >= Boxes * Rounds * 2, $"{writes} writes");
        Assert.True(transactions < writes, $"{writes} writes took {transactions} transactions: none was shared");
    }

    [Fact]
    public async Task AWriteThatFailsInASharedTransactionFailsAloneAndTheOthersCommitWithTheirOwnResults()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using (var setup = dataSource.CreateCommand("CREATE TABLE IF NOT EXISTS group_commit_probe (id int PRIMARY KEY); TRUNCATE group_commit_probe; INSERT INTO group_commit_probe VALUES (7)"))
        {
            await setup.ExecuteNonQueryAsync();
        }
        await using var groupCommit = new GroupCommit(dataSource, Options.Create(new GroupCommitOptions { Writers = 1 }), NullLogger<GroupCommit>.Instance);

        // A slow write holds the only writer, so the next twenty queue and go out as one shared transaction.
        var slow = groupCommit.ExecuteAsync([new NpgsqlBatchCommand("SELECT pg_sleep(0.5)")]);
        var writes = Enumerable.Range(0, 20).Select(i => groupCommit.ExecuteAsync(
            [
                new NpgsqlBatchCommand("INSERT INTO group_commit_probe VALUES (@id)") { Parameters = { new("id", i) } },
                new NpgsqlBatchCommand($"SELECT @v AS {GroupCommit.ResultColumn}") { Parameters = { new("v", i * 10) } },
            ], resultIndex: 1)).ToArray();
        await slow;

        // Row 7 exists already: that write fails with the server's error; every other one commits and gets its own value.
        var failure = await Assert.ThrowsAsync<PostgresException>(() => writes[7]);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, failure.SqlState);
        for (var i = 0; i < writes.Length; i++)
        {
            if (i != 7) Assert.Equal(i * 10, await writes[i]);
        }
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM group_commit_probe");
        Assert.Equal(20L, await count.ExecuteScalarAsync());
        // The twenty went in one shared transaction (which failed, and its writes ran again one by one), with the slow
        // write before them or beside them.
        var (transactions, carried) = groupCommit.Counters;
        Assert.Equal(21, carried);
        Assert.InRange(transactions, 1, 2);
    }

    [Fact]
    public async Task AFencedMailboxAmongConcurrentDeliveriesIsRefusedWhileTheOthersAreFiled()
    {
        var boxes = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => TestMailbox.CreateAsync(fixture.Grains)));
        foreach (var box in boxes) await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("warm")));
        await using (var connection = await fixture.OpenAsync())
        await using (var takeOver = new NpgsqlCommand("UPDATE mailboxes SET epoch = epoch + 1 WHERE account_id = @a", connection))
        {
            takeOver.Parameters.AddWithValue("a", boxes[5].AccountId);
            Assert.Equal(1, await takeOver.ExecuteNonQueryAsync());
        }
        var deliveries = await Task.WhenAll(boxes.Select(b => _messages.DeliveryAsync(b.Tenant.TenantId, TestMessages.Build("together"))));
        var calls = boxes.Select((b, i) => b.Grain.DeliverAsync(deliveries[i])).ToArray();

        await TestMailbox.RefusedAsync(MailErrorCode.Fenced, () => calls[5]);
        for (var i = 0; i < boxes.Length; i++)
        {
            if (i == 5) continue;
            Assert.False((await calls[i]).Duplicate);
            Assert.Equal(2, await _rows.CountAsync("mailbox_messages", boxes[i].AccountId));
        }
        Assert.Equal(1, await _rows.CountAsync("mailbox_messages", boxes[5].AccountId));
    }
}
