using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Reputation;
using Mail.Grains.Reputation.Suppression;
using Mail.Grains.Reputation.Webhooks;
using Npgsql;

namespace Mail.Grains.Outbound;

/// <summary>
/// The durable outbound queue table (migrations 0002, 0005, 0010): one row per remote recipient of a message.
/// Enqueueing, listing and operator actions; the sender's leases and outcomes are in
/// <see cref="OutboundLeaseStore"/>. Every write that makes a row due notifies <see cref="Channel"/>.
/// </summary>
public sealed class OutboundQueueStore(NpgsqlDataSource dataSource, MailClock clock)
{
    /// <summary>The PostgreSQL notification channel the scheduler listens on.</summary>
    public const string Channel = "outbound_queue";

    /// <summary>Status of a row whose recipient was suppressed at enqueue: recorded, never sent.</summary>
    public const string Suppressed = "suppressed";

    private const string Columns =
        """
        id, submission_id, recipient,
        CASE WHEN status = 'queued' AND attempts > 0 THEN 'deferred' ELSE status END,
        attempts, created_at, CASE WHEN status = 'queued' THEN next_attempt_at END, last_reply,
        last_attempt_at, remote_mta, status_code, envelope_from, sender_account_id,
        stream_class, pool, source_ip, provider, CASE WHEN status = 'queued' THEN hold_reason END
        """;

    /// <summary>
    /// Queues remote recipients of a message; a retried submission adds nothing twice. A recipient on the sending
    /// tenant's suppression list (the blob's tenant) gets a row in status <c>suppressed</c> that is never sent, so the
    /// sender sees it in its listing; the same statement queues the <c>sent</c> and <c>suppressed</c> webhook events.
    /// Returns the suppressed recipients.
    /// </summary>
    public async Task<IReadOnlySet<string>> EnqueueAsync(QueuedMessage message, IReadOnlyList<string> recipients)
    {
        var suppressed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (recipients.Count == 0) return suppressed;
        var eventName = $"CASE WHEN q.status = '{Suppressed}' THEN '{WebhookEvents.Suppressed}' ELSE '{WebhookEvents.Sent}' END";
        await using var command = dataSource.CreateCommand(
            $"""
            WITH r AS (
                SELECT r AS recipient, {SuppressionSql.ActiveReason("@bt", "lower(r)", "@now")} AS reason FROM unnest(@recipients) AS r),
            q AS (
                INSERT INTO outbound_queue AS q (submission_id, sender_account_id, envelope_from, return_path, verp_token, recipient, domain,
                                                 blob_tenant, blob_name, blob_length, dkim_signature, created_at, next_attempt_at, expires_at,
                                                 updated_at, tenant_id, sending_domain, stream_class, status, last_reply)
                SELECT @s, @sender, @from, @rp, @verp, r.recipient, lower(split_part(r.recipient, '@', 2)), @bt, @bn, @bl, @dkim, @now, @now, @expires, @now,
                       @tenant, @sending, @class,
                       CASE WHEN r.reason IS NULL THEN 'queued' ELSE '{Suppressed}' END,
                       'not sent: the address is on the suppression list (' || r.reason || ')'
                  FROM r
                ON CONFLICT (submission_id, recipient) DO NOTHING
                RETURNING {WebhookOutbox.QueueRowColumns}),
            d AS ({WebhookOutbox.Queue("q", "q.blob_tenant", eventName, WebhookOutbox.QueueRowData("q"), "@now")})
            SELECT recipient FROM r WHERE reason IS NOT NULL;
            NOTIFY {Channel};
            """);
        command.Parameters.AddWithValue("s", message.SubmissionId);
        command.Parameters.AddWithValue("sender", (object?)message.SenderAccountId ?? DBNull.Value);
        command.Parameters.AddWithValue("from", message.EnvelopeFrom);
        command.Parameters.AddWithValue("rp", message.ReturnPath);
        command.Parameters.AddWithValue("verp", (object?)message.VerpToken ?? DBNull.Value);
        command.Parameters.AddWithValue("recipients", recipients.ToArray());
        command.Parameters.AddWithValue("bt", message.Blob.TenantId);
        command.Parameters.AddWithValue("bn", message.Blob.Name);
        command.Parameters.AddWithValue("bl", message.Blob.Length);
        command.Parameters.AddWithValue("dkim", (object?)message.DkimSignature ?? DBNull.Value);
        command.Parameters.AddWithValue("now", message.CreatedAt);
        command.Parameters.AddWithValue("expires", message.ExpiresAt);
        command.Parameters.AddWithValue("tenant", NpgsqlTypes.NpgsqlDbType.Text, (object?)message.TenantId ?? DBNull.Value);
        command.Parameters.AddWithValue("sending", NpgsqlTypes.NpgsqlDbType.Text, (object?)message.SendingDomain ?? DBNull.Value);
        command.Parameters.AddWithValue("class", NpgsqlTypes.NpgsqlDbType.Text, (object?)message.StreamClass ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) suppressed.Add(reader.GetString(0));
        return suppressed;
    }

    /// <summary>
    /// Queues many messages of one recipient each in the caller's transaction (a bulk page, committed with its job's
    /// bookkeeping), as one statement with their <c>sent</c> webhook events; the scheduler is notified when the
    /// transaction commits.
    /// </summary>
    public async Task EnqueueBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(QueuedMessage Message, string Recipient)> rows)
    {
        if (rows.Count == 0) return;
        await using var command = new NpgsqlCommand(
            $"""
            WITH q AS (
                INSERT INTO outbound_queue AS q (submission_id, sender_account_id, envelope_from, return_path, verp_token, recipient, domain,
                                                 blob_tenant, blob_name, blob_length, dkim_signature, created_at, next_attempt_at, expires_at,
                                                 updated_at, bulk_job_id, tenant_id, sending_domain, stream_class)
                SELECT s, NULL, f, rp, verp, r, lower(split_part(r, '@', 2)), bt, bn, bl, dkim, c, c, e, c, job, bt, sd, sc
                  FROM unnest(@s, @from, @rp, @verp, @r, @bt, @bn, @bl, @dkim, @created, @expires, @job, @sending, @class)
                       AS u(s, f, rp, verp, r, bt, bn, bl, dkim, c, e, job, sd, sc)
                ON CONFLICT (submission_id, recipient) DO NOTHING
                RETURNING {WebhookOutbox.QueueRowColumns}, q.created_at)
            {WebhookOutbox.Queue("q", "q.blob_tenant", $"'{WebhookEvents.Sent}'", WebhookOutbox.QueueRowData("q"), "q.created_at")};
            NOTIFY {Channel};
            """, connection, transaction);
        command.Parameters.AddWithValue("s", rows.Select(r => r.Message.SubmissionId).ToArray());
        command.Parameters.AddWithValue("from", rows.Select(r => r.Message.EnvelopeFrom).ToArray());
        command.Parameters.AddWithValue("rp", rows.Select(r => r.Message.ReturnPath).ToArray());
        command.Parameters.AddWithValue("verp", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => (object?)r.Message.VerpToken ?? DBNull.Value).ToArray());
        command.Parameters.AddWithValue("r", rows.Select(r => r.Recipient).ToArray());
        command.Parameters.AddWithValue("bt", rows.Select(r => r.Message.Blob.TenantId).ToArray());
        command.Parameters.AddWithValue("bn", rows.Select(r => r.Message.Blob.Name).ToArray());
        command.Parameters.AddWithValue("bl", rows.Select(r => r.Message.Blob.Length).ToArray());
        command.Parameters.AddWithValue("dkim", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => (object?)r.Message.DkimSignature ?? DBNull.Value).ToArray());
        command.Parameters.AddWithValue("created", rows.Select(r => r.Message.CreatedAt).ToArray());
        command.Parameters.AddWithValue("expires", rows.Select(r => r.Message.ExpiresAt).ToArray());
        command.Parameters.AddWithValue("job", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid, rows.Select(r => (object?)r.Message.BulkJobId ?? DBNull.Value).ToArray());
        command.Parameters.AddWithValue("sending", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => (object?)r.Message.SendingDomain ?? DBNull.Value).ToArray());
        command.Parameters.AddWithValue("class", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => (object?)r.Message.StreamClass ?? DBNull.Value).ToArray());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The rows a sender queued, newest first.</summary>
    public async Task<IReadOnlyList<OutboundItem>> ListForSenderAsync(string accountId, int limit)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM outbound_queue WHERE sender_account_id = @a ORDER BY id DESC LIMIT @l");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("l", limit);
        return await ReadItemsAsync(command);
    }

    /// <summary>Rows of every sender, newest first, by display state and recipient domain.</summary>
    public async Task<IReadOnlyList<OutboundItem>> ListAsync(string? state, string? domain, long? beforeId, int limit)
    {
        var where = state switch
        {
            null or "" => "true",
            "queued" => "status = 'queued' AND attempts = 0",
            "deferred" => "status = 'queued' AND attempts > 0",
            _ => "status = @state",
        };
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM outbound_queue
            WHERE {where} AND (@domain::text IS NULL OR domain = @domain) AND (@before::bigint IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @l
            """);
        command.Parameters.AddWithValue("state", state ?? "");
        command.Parameters.AddWithValue("domain", NpgsqlTypes.NpgsqlDbType.Text, (object?)domain?.ToLowerInvariant() ?? DBNull.Value);
        command.Parameters.AddWithValue("before", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)beforeId ?? DBNull.Value);
        command.Parameters.AddWithValue("l", limit);
        return await ReadItemsAsync(command);
    }

    /// <summary>
    /// Makes a row due now: a waiting or deferred row that is not in flight, or a failed one (queued again,
    /// with a fresh lifetime, its owed DSN dropped). False for delivered, cancelled, in-flight or unknown rows.
    /// </summary>
    public async Task<bool> RetryAsync(long id, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE outbound_queue
               SET status = 'queued', next_attempt_at = @now, dsn_pending = NULL, updated_at = @now,
                   expires_at = GREATEST(expires_at, @expires)
             WHERE id = @id AND status IN ('queued', 'failed') AND (lease_token IS NULL OR next_attempt_at <= @now);
            NOTIFY {Channel};
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("expires", now + lifetime);
        return await command.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>Cancels a waiting row that is not in flight; the sender is owed a DSN. False otherwise.</summary>
    public async Task<bool> CancelAsync(long id)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE outbound_queue
               SET status = 'cancelled', status_code = '5.0.0', last_reply = 'delivery cancelled by the operator',
                   updated_at = @now, dsn_pending = {OutboundLeaseStore.OwedDsn("'failed'")}
             WHERE id = @id AND status = 'queued' AND (lease_token IS NULL OR next_attempt_at <= @now);
            NOTIFY {Channel};
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync() > 0;
    }

    private static async Task<IReadOnlyList<OutboundItem>> ReadItemsAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var items = new List<OutboundItem>();
        while (await reader.ReadAsync())
        {
            items.Add(new OutboundItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.GetString(11),
                Text(reader, 12), Text(reader, 13), Text(reader, 14), Text(reader, 15), Text(reader, 16), Text(reader, 17)));
        }
        return items;
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
