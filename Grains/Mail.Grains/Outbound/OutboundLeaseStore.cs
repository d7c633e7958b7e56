using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Interfaces.Reputation;
using Mail.Grains.Reputation.Suppression;
using Mail.Grains.Reputation.Webhooks;
using Npgsql;

namespace Mail.Grains.Outbound;

/// <summary>
/// The sender's side of the outbound queue: leasing due rows, extending and handing back leases, and
/// recording each attempt's outcome. A lease moves a row's due time into the future and marks the row
/// with a <c>lease_token</c>; its holder extends it while the row waits or is sent, so a crashed sender's
/// rows come due again when their lease lapses and nothing is lost; only rows whose remote 250 was seen
/// but not yet recorded can be sent twice.
/// </summary>
public sealed class OutboundLeaseStore(NpgsqlDataSource dataSource, HardBounceRule hardBounces, MailClock clock)
{
    /// <summary>SQL for "a DSN of this kind is owed": only to a local sender, never for a null-sender message (no DSN loops).</summary>
    public static string OwedDsn(string kindSql) =>
        $"CASE WHEN sender_account_id IS NOT NULL AND envelope_from <> '' THEN {kindSql} END";

    /// <summary>Leases up to <paramref name="limit"/> due rows, oldest due first; returns the lease (its fencing token) and the rows.</summary>
    public async Task<(DateTimeOffset LeasedUntil, IReadOnlyList<LeasedRow> Rows)> LeaseDueAsync(int limit, TimeSpan lease)
    {
        var now = clock.GetUtcNow();
        var leasedUntil = Microseconds(now + lease);
        await using var command = dataSource.CreateCommand(
            """
            WITH due AS (
                SELECT id FROM outbound_queue WHERE status = 'queued' AND next_attempt_at <= @now
                ORDER BY next_attempt_at LIMIT @limit FOR UPDATE SKIP LOCKED)
            UPDATE outbound_queue q SET next_attempt_at = @lease, lease_token = @lease, hold_reason = NULL
              FROM due WHERE q.id = due.id
            RETURNING q.id, q.submission_id, q.recipient, q.domain, q.return_path, q.blob_tenant, q.blob_name, q.blob_length,
                      q.dkim_signature, q.attempts, q.expires_at, q.tenant_id, q.sending_domain, q.stream_class
            """);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("lease", leasedUntil);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<LeasedRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new LeasedRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                new StoredBlob(reader.GetString(5), reader.GetString(6), reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetInt32(9), reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.IsDBNull(13) ? null : reader.GetString(13)));
        }
        return (leasedUntil, rows);
    }

    /// <summary>Gives leased rows back, due at <paramref name="dueAt"/>, without spending an attempt (a limit said "later").</summary>
    public async Task ReleaseAsync(IReadOnlyList<long> ids, DateTimeOffset leasedUntil, DateTimeOffset dueAt)
    {
        if (ids.Count == 0) return;
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE outbound_queue SET next_attempt_at = @due, lease_token = NULL
             WHERE id = ANY(@ids) AND status = 'queued' AND lease_token = @lease;
            NOTIFY {OutboundQueueStore.Channel};
            """);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        command.Parameters.AddWithValue("lease", leasedUntil);
        command.Parameters.AddWithValue("due", dueAt);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Extends the lease <paramref name="token"/> of rows still held under it to <paramref name="lease"/> from now;
    /// returns the rows it holds. A row another sender took after the lease lapsed is not returned and must not be sent.
    /// </summary>
    public async Task<HashSet<long>> ExtendAsync(IReadOnlyList<long> ids, DateTimeOffset token, TimeSpan lease)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE outbound_queue SET next_attempt_at = @until
             WHERE id = ANY(@ids) AND status = 'queued' AND lease_token = @token
            RETURNING id
            """);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("until", clock.GetUtcNow() + lease);
        var held = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) held.Add(reader.GetInt64(0));
        return held;
    }

    /// <summary>
    /// Records the outcomes of many attempts (of many jobs, under their own leases) in one round trip and one
    /// transaction, so concurrent senders share a commit. Delivered and failed rows are final whatever lease they
    /// are under (the remote's answer is the truth); a deferral only applies to a row still under its own lease.
    /// The same statements suppress hard-bounced addresses and queue the webhook events of the rows they changed
    /// (a join that finds nothing when the tenant has no webhook), so neither is lost nor sent for an unrecorded outcome.
    /// </summary>
    public async Task RecordAsync(IReadOnlyList<LeasedOutcome> outcomes, DateTimeOffset? warnCreatedBefore)
    {
        if (outcomes.Count == 0) return;
        var now = clock.GetUtcNow();
        await using var batch = dataSource.CreateBatch();
        foreach (var kind in outcomes.GroupBy(o => o.Outcome.Kind))
        {
            var rows = kind.ToArray();
            var command = kind.Key switch
            {
                OutcomeKind.Delivered => new NpgsqlBatchCommand(
                    $"""
                    WITH q AS (
                        UPDATE outbound_queue q SET status = 'delivered', attempts = q.attempts + 1, last_attempt_at = @now, last_reply = u.reply,
                               remote_mta = u.mta, status_code = u.code, lease_token = NULL, dsn_pending = NULL, updated_at = @now
                          FROM unnest(@ids, @replies, @mtas, @codes) AS u(id, reply, mta, code)
                         WHERE q.id = u.id AND q.status = 'queued'
                        RETURNING {WebhookOutbox.QueueRowColumns})
                    {WebhookOutbox.Queue("q", "q.blob_tenant", $"'{WebhookEvents.Delivered}'", WebhookOutbox.QueueRowData("q"), "@now")}
                    """),
                OutcomeKind.Failed => new NpgsqlBatchCommand(
                    $"""
                    WITH q AS (
                        UPDATE outbound_queue q SET status = 'failed', attempts = q.attempts + 1, last_attempt_at = @now, last_reply = u.reply,
                               remote_mta = u.mta, status_code = u.code, lease_token = NULL, updated_at = @now,
                               dsn_pending = {OwedDsn("'failed'")}
                          FROM unnest(@ids, @replies, @mtas, @codes, @hard) AS u(id, reply, mta, code, hard)
                         WHERE q.id = u.id AND q.status = 'queued'
                        RETURNING {WebhookOutbox.QueueRowColumns}, u.hard),
                    s AS ({SuppressionSql.Upsert($"SELECT q.blob_tenant, lower(q.recipient), '{SuppressionReasons.HardBounce}', @now::timestamptz, @expires::timestamptz, q.last_reply FROM q WHERE q.hard")})
                    {WebhookOutbox.Queue("q", "q.blob_tenant", $"'{WebhookEvents.Bounced}'", WebhookOutbox.QueueRowData("q", "jsonb_build_object('suppressed', q.hard)"), "@now")}
                    """),
                _ => new NpgsqlBatchCommand(
                    $"""
                    WITH q AS (
                        UPDATE outbound_queue q SET attempts = q.attempts + 1, last_attempt_at = @now, last_reply = u.reply,
                               remote_mta = u.mta, status_code = u.code, lease_token = NULL, updated_at = @now, next_attempt_at = u.next,
                               dsn_pending = CASE WHEN @warn::timestamptz IS NOT NULL AND q.created_at <= @warn AND NOT q.delay_warned
                                                  THEN {OwedDsn("'delayed'")} ELSE q.dsn_pending END,
                               delay_warned = q.delay_warned OR (@warn::timestamptz IS NOT NULL AND q.created_at <= @warn)
                          FROM unnest(@ids, @replies, @mtas, @codes, @nexts, @leases) AS u(id, reply, mta, code, next, lease)
                         WHERE q.id = u.id AND q.status = 'queued' AND q.lease_token = u.lease
                        RETURNING {WebhookOutbox.QueueRowColumns})
                    {WebhookOutbox.Queue("q", "q.blob_tenant", $"'{WebhookEvents.Deferred}'", WebhookOutbox.QueueRowData("q"), "@now")}
                    """),
            };
            command.Parameters.AddWithValue("ids", rows.Select(r => r.Outcome.RowId).ToArray());
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("replies", rows.Select(r => r.Outcome.Reply).ToArray());
            command.Parameters.AddWithValue("mtas", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => r.Outcome.RemoteMta).ToArray());
            command.Parameters.AddWithValue("codes", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => r.Outcome.StatusCode).ToArray());
            if (kind.Key == OutcomeKind.Failed)
            {
                command.Parameters.AddWithValue("hard", rows.Select(r => hardBounces.IsHard(r.Outcome.StatusCode)).ToArray());
                command.Parameters.AddWithValue("expires", now + hardBounces.Lifetime);
            }
            if (kind.Key == OutcomeKind.Deferred)
            {
                command.Parameters.AddWithValue("nexts", rows.Select(r => r.Outcome.NextAttemptAt ?? now).ToArray());
                command.Parameters.AddWithValue("leases", rows.Select(r => r.LeasedUntil).ToArray());
                command.Parameters.AddWithValue("warn", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)warnCreatedBefore ?? DBNull.Value);
            }
            batch.BatchCommands.Add(command);
        }
        if (outcomes.Any(o => o.Outcome.Kind != OutcomeKind.Delivered))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {OutboundQueueStore.Channel}"));
        }
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>When the next waiting row comes due, or null when nothing waits.</summary>
    public async Task<DateTimeOffset?> NextDueAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT min(next_attempt_at) FROM outbound_queue WHERE status = 'queued'");
        var value = await command.ExecuteScalarAsync();
        return value is DateTime time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : null;
    }

    /// <summary>PostgreSQL keeps microseconds: a lease compared for equality must be rounded the same way on both sides.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset time) => new(time.Ticks - time.Ticks % 10, TimeSpan.Zero);
}
