using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Mailboxes;
using Npgsql;

namespace Mail.Grains.Outbound;

/// <summary>The durable outbound queue table: one row per remote recipient of a submission.</summary>
public sealed class OutboundQueueStore(NpgsqlDataSource dataSource)
{
    /// <summary>Queues remote recipients; a retried submission adds nothing twice.</summary>
    public async Task EnqueueAsync(Submission submission, StoredBlob blob, IReadOnlyList<string> recipients)
    {
        if (recipients.Count == 0) return;
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO outbound_queue (submission_id, sender_account_id, envelope_from, recipient, blob_tenant, blob_name, blob_length)
            SELECT @s, @sender, @from, r, @bt, @bn, @bl FROM unnest(@recipients) AS r
            ON CONFLICT (submission_id, recipient) DO NOTHING
            """);
        command.Parameters.AddWithValue("s", submission.SubmissionId);
        command.Parameters.AddWithValue("sender", (object?)submission.SenderAccountId ?? DBNull.Value);
        command.Parameters.AddWithValue("from", submission.EnvelopeFrom);
        command.Parameters.AddWithValue("recipients", recipients.ToArray());
        command.Parameters.AddWithValue("bt", blob.TenantId);
        command.Parameters.AddWithValue("bn", blob.Name);
        command.Parameters.AddWithValue("bl", blob.Length);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The rows a sender queued, newest first.</summary>
    public async Task<IReadOnlyList<OutboundItem>> ListForSenderAsync(string accountId, int limit)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, submission_id, recipient, status, attempts, created_at, next_attempt_at, last_error
            FROM outbound_queue WHERE sender_account_id = @a ORDER BY id DESC LIMIT @l
            """);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("l", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var items = new List<OutboundItem>();
        while (await reader.ReadAsync())
        {
            items.Add(new OutboundItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return items;
    }
}
