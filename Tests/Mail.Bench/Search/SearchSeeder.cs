using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;
using Mail.Storage.Blobs;
using Npgsql;
using NpgsqlTypes;

namespace Mail.Bench.Search;

/// <summary>
/// Fills an account's INBOX with generated messages: real encrypted blobs through the host's blob store, and the rows a
/// delivery writes (message and change-log row) by binary COPY in one transaction, counters recomputed after. Run it
/// while the mailbox grain is deactivated (the epoch is bumped, so a stale activation is fenced).
/// </summary>
public static class SearchSeeder
{
    private sealed record Row(long Uid, MessageSummary Summary, string[] Labels, bool Seen, DateTimeOffset Date, BlobRef Blob);

    /// <summary>Seeds <paramref name="count"/> messages; returns the mailbox's highest MODSEQ after.</summary>
    public static async Task<long> RunAsync(NpgsqlDataSource db, IBlobStore blobs, string accountId, string address, int count)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        long modseq, messageId;
        string tenant;
        await using (var head = new NpgsqlCommand("UPDATE mailboxes SET epoch = epoch + 1 WHERE account_id = @a RETURNING highest_modseq, next_message_id, tenant_id", connection, transaction))
        {
            head.Parameters.AddWithValue("a", accountId);
            await using var reader = await head.ExecuteReaderAsync();
            await reader.ReadAsync();
            (modseq, messageId, tenant) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
        }
        int folder;
        long uid;
        await using (var inbox = new NpgsqlCommand("SELECT folder_id, uid_next FROM mailbox_folders WHERE account_id = @a AND name = 'INBOX' FOR UPDATE", connection, transaction))
        {
            inbox.Parameters.AddWithValue("a", accountId);
            await using var reader = await inbox.ExecuteReaderAsync();
            await reader.ReadAsync();
            (folder, uid) = (reader.GetInt32(0), reader.GetInt64(1));
        }

        var now = DateTimeOffset.UtcNow;
        var rows = new Row[count];
        var corpus = new SearchCorpus(42);
        var generated = Enumerable.Range(0, count).Select(i => corpus.Next(address, now, i)).ToArray();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var (message, labels, seen, date) = generated[i];
            using var content = new MemoryStream();
            await message.WriteToAsync(content, ct);
            content.Position = 0;
            var blob = await blobs.PutAsync(tenant, content, ct);
            rows[i] = new Row(uid + i, MessageSummaryReader.Read(message), labels, seen, date, blob);
            if ((i + 1) % 20_000 == 0) await Console.Error.WriteLineAsync($"search bench: {i + 1} blobs written");
        });

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY mailbox_messages (account_id, message_id, folder_id, uid, modseq, flags, labels, thread_id, blob_tenant, blob_name, size, " +
            "internal_date, sent_date, from_addr, to_addrs, cc_addrs, subject, message_id_header, refs, preview, has_attachments) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                var r = rows[i];
                await copy.StartRowAsync();
                await copy.WriteAsync(accountId, NpgsqlDbType.Text);
                await copy.WriteAsync(messageId + i, NpgsqlDbType.Bigint);
                await copy.WriteAsync(folder, NpgsqlDbType.Integer);
                await copy.WriteAsync(r.Uid, NpgsqlDbType.Bigint);
                await copy.WriteAsync(modseq + 1 + i, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.Seen ? new[] { MessageFlags.Seen } : [], NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(r.Labels, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(messageId + i, NpgsqlDbType.Bigint);
                await copy.WriteAsync(tenant, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Blob.Name, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Blob.Length, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.Date.UtcDateTime, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.Date.UtcDateTime, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.Summary.From, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Summary.To.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(r.Summary.Cc.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(r.Summary.Subject, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Summary.MessageIdHeader!, NpgsqlDbType.Text);
                await copy.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(r.Summary.Preview, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Summary.HasAttachments, NpgsqlDbType.Boolean);
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY mailbox_changes (account_id, modseq, kind, folder_id, message_id, uid) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                await copy.WriteRowAsync(default, accountId, modseq + 1 + i, (short)MailboxChangeKind.Added, folder, messageId + i, rows[i].Uid);
            }
            await copy.CompleteAsync();
        }
        foreach (var sql in new[] { Seeding.SeedSql.FolderCounters, Seeding.SeedSql.MailboxCounters })
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 600 };
            command.Parameters.AddWithValue("a", accountId);
            command.Parameters.AddWithValue("f", folder);
            command.Parameters.AddWithValue("seen", MessageFlags.Seen);
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        await using (var vacuum = new NpgsqlCommand("VACUUM (ANALYZE) mailbox_messages, mailbox_changes, mailboxes, mailbox_folders", connection) { CommandTimeout = 600 })
        {
            await vacuum.ExecuteNonQueryAsync();
        }
        return modseq + count;
    }
}
