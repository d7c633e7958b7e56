using System.Diagnostics;
using System.Globalization;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Mailboxes;
using Npgsql;

namespace Mail.Bench.Seeding;

/// <summary>
/// seed-mailbox: fills an account's INBOX with messages straight in SQL, as if they had been delivered one by one
/// (a message, delivery, thread and change-log row each), then sets the mailbox and folder counters to match the
/// rows exactly. Run it only while the mailbox grain is not active: the grain loads the counters on activation.
/// The epoch is bumped too, so a grain that is active after all gets fenced instead of overwriting the counters.
/// </summary>
public static class MailboxSeeder
{
    /// <summary>Seeds <paramref name="count"/> messages and prints how long it took.</summary>
    public static async Task<int> RunAsync(string connectionString, string address, int count)
    {
        var clock = Stopwatch.StartNew();
        var key = AddressKey.Normalize(address) ?? throw new ArgumentException($"'{address}' is not an e-mail address");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var accountId = await ScalarAsync<string>(connection, null, "SELECT account_id FROM directory_accounts WHERE address = @address",
            ("address", key)) ?? throw new ArgumentException($"no account has the address {key}");

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var seed = await ReadSeedParametersAsync(connection, transaction, accountId, key, count);
            foreach (var sql in SeedSql.Inserts) await ExecuteAsync(connection, transaction, sql, seed);
            await ExecuteAsync(connection, transaction, SeedSql.FolderCounters, seed);
            await ExecuteAsync(connection, transaction, SeedSql.MailboxCounters, seed);
            var over = await ScalarAsync<bool>(connection, transaction,
                "SELECT quota_used > quota_limit FROM mailboxes WHERE account_id = @a", ("a", accountId));
            if (over) throw new ArgumentException($"{count} messages do not fit the quota of {key}; nothing was seeded");
            await transaction.CommitAsync();
        }
        var seeded = clock.Elapsed;

        // Vacuumed and analyzed as autovacuum would leave a mailbox this size (otherwise autovacuum's insert
        // threshold fires during the timed runs), and a checkpoint so that writing the seed out does not land
        // on them either.
        await ExecuteAsync(connection, null, "VACUUM (ANALYZE) mailbox_messages, mailbox_changes, mailbox_deliveries, mailbox_threads, mailboxes, mailbox_folders");
        await ExecuteAsync(connection, null, "CHECKPOINT");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed-mailbox: {count} messages into {key} in {seeded.TotalSeconds:F1} s (+{(clock.Elapsed - seeded).TotalSeconds:F1} s vacuum, analyze and checkpoint)"));
        return 0;
    }

    private static async Task<(string, object?)[]> ReadSeedParametersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string accountId, string address, int count)
    {
        await using var head = new NpgsqlCommand(
            "UPDATE mailboxes SET epoch = epoch + 1 WHERE account_id = @a RETURNING highest_modseq, next_message_id, tenant_id", connection, transaction);
        head.Parameters.AddWithValue("a", accountId);
        long highestModseq, nextMessageId;
        string tenantId;
        await using (var reader = await head.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync()) throw new ArgumentException($"{address} has no mailbox row");
            (highestModseq, nextMessageId, tenantId) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
        }
        await using var inbox = new NpgsqlCommand(
            "SELECT folder_id, uid_next FROM mailbox_folders WHERE account_id = @a AND name = @n FOR UPDATE", connection, transaction);
        inbox.Parameters.AddWithValue("a", accountId);
        inbox.Parameters.AddWithValue("n", SpecialFolders.Inbox);
        int folderId;
        long uidNext;
        await using (var reader = await inbox.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync()) throw new ArgumentException($"{address} has no {SpecialFolders.Inbox}");
            (folderId, uidNext) = (reader.GetInt32(0), reader.GetInt64(1));
        }
        // The benchmark never reads seeded bodies; an existing blob keeps the rows pointing at something real.
        await using var blob = new NpgsqlCommand("SELECT blob_tenant, blob_name FROM mailbox_messages WHERE account_id = @a LIMIT 1", connection, transaction);
        blob.Parameters.AddWithValue("a", accountId);
        var (blobTenant, blobName) = (tenantId, "bench-seed-placeholder");
        await using (var reader = await blob.ExecuteReaderAsync())
        {
            if (await reader.ReadAsync()) (blobTenant, blobName) = (reader.GetString(0), reader.GetString(1));
        }
        return
        [
            ("a", accountId), ("address", address), ("count", count), ("m", nextMessageId), ("h", highestModseq), ("f", folderId), ("u", uidNext),
            ("bt", blobTenant), ("bn", blobName), ("seen", MessageFlags.Seen), ("added", (short)MailboxChangeKind.Added),
            ("now", DateTimeOffset.UtcNow),
        ];
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 600 };
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return await command.ExecuteScalarAsync() is T result ? result : default;
    }
}
