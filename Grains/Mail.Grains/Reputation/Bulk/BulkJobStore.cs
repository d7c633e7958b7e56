using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Bulk;
using Mail.Grains.Outbound;
using Npgsql;
using NpgsqlTypes;

namespace Mail.Grains.Reputation.Bulk;

/// <summary>
/// The tables of bulk jobs (migration 0012): a job row, its recipients, and the outbound rows its messages became.
/// The job grain writes a job as its request streams in; the runner leases submitted jobs (a lease is the job's
/// <c>lease_until</c>, renewed per page) and queues their recipients page by page, each page in one transaction
/// with the outbound rows, so a crash leaves every recipient either pending or queued, never both or neither.
/// </summary>
public sealed class BulkJobStore(NpgsqlDataSource dataSource, OutboundQueueStore queue, MailClock clock)
{
    /// <summary>The notification channel a submitted job wakes the runners on.</summary>
    public const string Channel = "bulk_jobs";

    /// <summary>Creates a job that is receiving recipients.</summary>
    public async Task CreateAsync(Guid id, string tenantId)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO bulk_jobs (id, tenant_id, state, created_at) VALUES (@id, @t, 'receiving', @now)");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Appends recipients (addresses normalized) to a receiving job of the tenant with COPY, in one transaction with the
    /// job's count; false when there is no such receiving job.
    /// </summary>
    public async Task<bool> AddRecipientsAsync(Guid id, string tenantId, int firstSeq, IReadOnlyList<BulkRecipient> recipients)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var check = new NpgsqlCommand(
            "UPDATE bulk_jobs SET recipient_count = recipient_count + @n WHERE id = @id AND tenant_id = @t AND state = 'receiving' AND recipient_count = @first",
            connection, transaction))
        {
            check.Parameters.AddWithValue("id", id);
            check.Parameters.AddWithValue("t", tenantId);
            check.Parameters.AddWithValue("n", recipients.Count);
            check.Parameters.AddWithValue("first", firstSeq);
            if (await check.ExecuteNonQueryAsync() == 0) return false;
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY bulk_recipients (job_id, seq, address, vars) FROM STDIN (FORMAT BINARY)"))
        {
            var seq = firstSeq;
            foreach (var recipient in recipients)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(seq++, NpgsqlDbType.Integer);
                await copy.WriteAsync(recipient.To, NpgsqlDbType.Text);
                if (recipient.VarsJson is null) await copy.WriteNullAsync();
                else await copy.WriteAsync(recipient.VarsJson, NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>Makes a receiving job of the tenant runnable with what its messages are made of; false when there is no such job.</summary>
    public async Task<bool> SubmitAsync(Guid id, string tenantId, BulkJobSpec spec, string fromAddress, string fromName)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE bulk_jobs SET state = 'ready', mail_class = @class, from_address = @from, from_name = @name, subject = @subject,
                                 text_body = @text, html_body = @html, submitted_at = @now
             WHERE id = @id AND tenant_id = @t AND state = 'receiving';
            NOTIFY {Channel};
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("class", spec.Class);
        command.Parameters.AddWithValue("from", fromAddress);
        command.Parameters.AddWithValue("name", fromName);
        command.Parameters.AddWithValue("subject", spec.Subject);
        command.Parameters.AddWithValue("text", NpgsqlDbType.Text, (object?)spec.Text ?? DBNull.Value);
        command.Parameters.AddWithValue("html", NpgsqlDbType.Text, (object?)spec.Html ?? DBNull.Value);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await command.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>The recipient count of a receiving job of the tenant, or null.</summary>
    public async Task<int?> ReceivingCountAsync(Guid id, string tenantId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT recipient_count FROM bulk_jobs WHERE id = @id AND tenant_id = @t AND state = 'receiving'");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("t", tenantId);
        return await command.ExecuteScalarAsync() is int count ? count : null;
    }

    /// <summary>Deletes a receiving job of the tenant and its recipients.</summary>
    public async Task DeleteReceivingAsync(Guid id, string tenantId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM bulk_jobs WHERE id = @id AND tenant_id = @t AND state = 'receiving'");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("t", tenantId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Deletes jobs whose request never finished (a client that went away mid-upload); returns how many.</summary>
    public async Task<int> PurgeAbandonedAsync(TimeSpan age)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM bulk_jobs WHERE state = 'receiving' AND created_at < @before");
        command.Parameters.AddWithValue("before", clock.GetUtcNow() - age);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>A submitted job of the tenant with its counts, or null.</summary>
    public async Task<BulkJobStatus?> StatusAsync(Guid id, string tenantId)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            """
            SELECT state, mail_class, from_address, subject, recipient_count, created_at, submitted_at, finished_at
              FROM bulk_jobs WHERE id = @id AND tenant_id = @t AND state <> 'receiving'
            """, id, tenantId));
        batch.BatchCommands.Add(Command("SELECT state, count(*)::int FROM bulk_recipients WHERE job_id = @id GROUP BY state", id));
        batch.BatchCommands.Add(Command(
            """
            SELECT count(*) FILTER (WHERE status = 'queued' AND attempts = 0)::int, count(*) FILTER (WHERE status = 'queued' AND attempts > 0)::int,
                   count(*) FILTER (WHERE status = 'delivered')::int, count(*) FILTER (WHERE status = 'failed')::int,
                   count(*) FILTER (WHERE status = 'cancelled')::int
              FROM outbound_queue WHERE bulk_job_id = @id
            """, id));
        await using var reader = await batch.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        var (state, mailClass, from, subject, total) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4));
        var (created, submitted) = (reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6));
        DateTimeOffset? finished = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7);
        await reader.NextResultAsync();
        var recipients = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) recipients[reader.GetString(0)] = reader.GetInt32(1);
        await reader.NextResultAsync();
        await reader.ReadAsync();
        var (queued, deferred, delivered, failed, cancelled) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4));

        var counts = new BulkCounts(
            recipients.GetValueOrDefault("pending"), queued, delivered, deferred,
            failed + recipients.GetValueOrDefault("failed"), recipients.GetValueOrDefault("suppressed"),
            cancelled + recipients.GetValueOrDefault("cancelled"));
        var final = counts.Delivered + counts.Failed + counts.Suppressed + counts.Cancelled;
        var shown = state switch
        {
            "ready" => "accepted",
            "running" => "queuing",
            "done" => queued + deferred > 0 ? "sending" : "completed",
            _ => state,
        };
        return new BulkJobStatus(id, shown, mailClass, from, subject, total, counts, total == 0 ? 1 : Math.Round((double)final / total, 4),
            created, submitted, finished);
    }

    /// <summary>
    /// Cancels a submitted job of the tenant: its pending recipients, and its queued outbound rows that are not in flight
    /// (a leased row is being sent and finishes). False when there is no such job.
    /// </summary>
    public async Task<bool> CancelAsync(Guid id, string tenantId)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // The job row's lock orders this against a runner's page commit, which takes it too.
        await using (var lockJob = new NpgsqlCommand(
            "SELECT 1 FROM bulk_jobs WHERE id = @id AND tenant_id = @t AND state <> 'receiving' FOR UPDATE", connection, transaction))
        {
            lockJob.Parameters.AddWithValue("id", id);
            lockJob.Parameters.AddWithValue("t", tenantId);
            if (await lockJob.ExecuteScalarAsync() is null) return false;
        }
        await using (var cancel = new NpgsqlCommand(
            $"""
            UPDATE bulk_jobs SET state = 'cancelled', finished_at = COALESCE(finished_at, @now), lease_until = NULL
             WHERE id = @id AND state <> 'cancelled';
            UPDATE bulk_recipients SET state = 'cancelled' WHERE job_id = @id AND state = 'pending';
            UPDATE outbound_queue
               SET status = 'cancelled', status_code = '5.0.0', last_reply = 'bulk job cancelled by the sender', updated_at = @now,
                   dsn_pending = {OutboundLeaseStore.OwedDsn("'failed'")}
             WHERE bulk_job_id = @id AND status = 'queued' AND (lease_token IS NULL OR next_attempt_at <= @now);
            """, connection, transaction))
        {
            cancel.Parameters.AddWithValue("id", id);
            cancel.Parameters.AddWithValue("now", now);
            await cancel.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>
    /// Cancels the queued, not in-flight outbound rows of jobs cancelled within <paramref name="within"/> (rows that were
    /// being sent at the cancellation and were deferred); returns how many.
    /// </summary>
    public async Task<int> SweepCancelledAsync(TimeSpan within)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE outbound_queue q
               SET status = 'cancelled', status_code = '5.0.0', last_reply = 'bulk job cancelled by the sender', updated_at = @now,
                   dsn_pending = {OutboundLeaseStore.OwedDsn("'failed'")}
              FROM bulk_jobs j
             WHERE j.state = 'cancelled' AND j.finished_at > @since AND q.bulk_job_id = j.id
               AND q.status = 'queued' AND (q.lease_token IS NULL OR q.next_attempt_at <= @now)
            """);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("since", now - within);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Leases the oldest runnable job whose lease is free or lapsed; null when there is none.</summary>
    public async Task<BulkJob?> ClaimAsync(TimeSpan lease)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand(
            """
            WITH next AS (
                SELECT id FROM bulk_jobs
                 WHERE state IN ('ready', 'running') AND (lease_until IS NULL OR lease_until <= @now)
                 ORDER BY submitted_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            UPDATE bulk_jobs j SET state = 'running', lease_until = @lease FROM next WHERE j.id = next.id
            RETURNING j.id, j.tenant_id, j.mail_class, j.from_address, j.from_name, j.subject, j.text_body, j.html_body
            """);
        command.Parameters.AddWithValue("now", now);
        var token = Microseconds(now + lease);
        command.Parameters.AddWithValue("lease", token);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new BulkJob(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), token);
    }

    /// <summary>Renews a lease still held; the new token, or null when the job was cancelled or taken over.</summary>
    public async Task<DateTimeOffset?> RenewAsync(Guid id, DateTimeOffset token, TimeSpan lease)
    {
        var renewed = Microseconds(clock.GetUtcNow() + lease);
        await using var command = dataSource.CreateCommand(
            "UPDATE bulk_jobs SET lease_until = @new WHERE id = @id AND state = 'running' AND lease_until = @token");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("new", renewed);
        return await command.ExecuteNonQueryAsync() > 0 ? renewed : null;
    }

    /// <summary>The next pending recipients after <paramref name="afterSeq"/>, in order.</summary>
    public async Task<IReadOnlyList<PendingRecipient>> PendingAsync(Guid id, int afterSeq, int limit)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT seq, address, vars FROM bulk_recipients WHERE job_id = @id AND state = 'pending' AND seq > @after ORDER BY seq LIMIT @limit");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("after", afterSeq);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var page = new List<PendingRecipient>(limit);
        while (await reader.ReadAsync()) page.Add(new PendingRecipient(reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return page;
    }

    /// <summary>
    /// Records a page in one transaction: the queued messages' outbound rows and every recipient's new state. False, and
    /// nothing written, when the lease is no longer held (the job was cancelled or another runner took it over).
    /// </summary>
    public async Task<bool> CommitPageAsync(Guid id, DateTimeOffset token, IReadOnlyList<BulkOutcome> outcomes)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockJob = new NpgsqlCommand(
            "SELECT 1 FROM bulk_jobs WHERE id = @id AND state = 'running' AND lease_until = @token FOR UPDATE", connection, transaction))
        {
            lockJob.Parameters.AddWithValue("id", id);
            lockJob.Parameters.AddWithValue("token", token);
            if (await lockJob.ExecuteScalarAsync() is null) return false;
        }
        var queued = outcomes.Where(o => o.Message is not null).Select(o => (o.Message!, o.Address)).ToArray();
        await queue.EnqueueBatchAsync(connection, transaction, queued);
        await using (var update = new NpgsqlCommand(
            """
            UPDATE bulk_recipients r SET state = u.state, detail = u.detail
              FROM unnest(@seqs, @states, @details) AS u(seq, state, detail)
             WHERE r.job_id = @id AND r.seq = u.seq AND r.state = 'pending'
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("seqs", outcomes.Select(o => o.Seq).ToArray());
            update.Parameters.AddWithValue("states", outcomes.Select(o => o.State).ToArray());
            update.Parameters.AddWithValue("details", NpgsqlDbType.Array | NpgsqlDbType.Text, outcomes.Select(o => (object?)o.Detail ?? DBNull.Value).ToArray());
            await update.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>Gives a lease back before it lapses (the runner failed), so the job can be taken again at once.</summary>
    public async Task ReleaseAsync(Guid id, DateTimeOffset token)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE bulk_jobs SET lease_until = NULL WHERE id = @id AND state = 'running' AND lease_until = @token");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("token", token);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Marks a job whose recipients are all handled as done, if the lease is still held.</summary>
    public async Task FinishAsync(Guid id, DateTimeOffset token)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE bulk_jobs SET state = 'done', finished_at = @now, lease_until = NULL WHERE id = @id AND state = 'running' AND lease_until = @token");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlBatchCommand Command(string sql, Guid id, string? tenantId = null)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("id", id);
        if (tenantId is not null) command.Parameters.AddWithValue("t", tenantId);
        return command;
    }

    // PostgreSQL keeps microseconds: a token compared for equality must not carry the .NET tick's last digit.
    private static DateTimeOffset Microseconds(DateTimeOffset time) => new(time.Ticks - time.Ticks % 10, TimeSpan.Zero);
}
