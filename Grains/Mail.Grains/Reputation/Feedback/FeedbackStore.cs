using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Reputation;
using Mail.Grains.Outbound;
using Mail.Grains.Reputation.Suppression;
using Mail.Grains.Reputation.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Mail.Grains.Reputation.Feedback;

/// <summary>
/// Records complaints and asynchronous bounces against their queue rows. Each is one statement: the feedback_reports
/// row, the row's new state (a bounce fails it), the recipient's suppression and the webhook event commit together,
/// and a report that arrives twice (same report id) changes nothing the second time.
/// </summary>
public sealed class FeedbackStore(NpgsqlDataSource dataSource, HardBounceRule hardBounces, MailClock clock)
{
    /// <summary>The rows sent under VERP token <paramref name="token"/>: one message's remote recipients.</summary>
    public async Task<IReadOnlyList<(long Id, string Recipient)>> RowsOfTokenAsync(string token)
    {
        await using var command = dataSource.CreateCommand("SELECT id, lower(recipient) FROM outbound_queue WHERE verp_token = @t ORDER BY id LIMIT 1000");
        command.Parameters.AddWithValue("t", token);
        var rows = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.GetString(1)));
        return rows;
    }

    /// <summary>
    /// Records a complaint about row <paramref name="outboundId"/>: its recipient is suppressed for good and a
    /// <c>complained</c> event queued. Null when the report was already recorded (or the row is gone).
    /// </summary>
    public async Task<FeedbackAttribution?> ComplaintAsync(string reportId, long outboundId, ArfReport report)
    {
        var now = clock.GetUtcNow();
        var data = """
            jsonb_strip_nulls(jsonb_build_object('outbound_id', f.outbound_id, 'submission_id', f.submission_id, 'recipient', f.recipient,
                'sending_domain', f.sending_domain, 'feedback_type', f.feedback_type, 'source_ip', f.source_ip, 'remote_mta', f.remote_mta,
                'user_agent', @agent::text, 'suppressed', true))
            """;
        await using var command = dataSource.CreateCommand(
            $"""
            WITH f AS (
                INSERT INTO feedback_reports (report_id, kind, tenant_id, outbound_id, submission_id, recipient, sending_domain,
                                              source_ip, remote_mta, feedback_type, received_at)
                SELECT @report, 'complaint', q.blob_tenant, q.id, q.submission_id, lower(q.recipient), lower(split_part(q.envelope_from, '@', 2)),
                       COALESCE(q.source_ip, @ip), q.remote_mta, @type, @now
                  FROM outbound_queue q WHERE q.id = @id
                ON CONFLICT (report_id, outbound_id) DO NOTHING
                RETURNING tenant_id, outbound_id, submission_id, recipient, sending_domain, source_ip, remote_mta, feedback_type),
            s AS ({SuppressionSql.Upsert($"SELECT f.tenant_id, f.recipient, '{SuppressionReasons.Complaint}', @now::timestamptz, NULL::timestamptz, f.feedback_type FROM f")}),
            d AS ({WebhookOutbox.Queue("f", "f.tenant_id", $"'{WebhookEvents.Complained}'", data, "@now")})
            SELECT f.tenant_id, f.outbound_id, f.submission_id, f.recipient, f.sending_domain, f.remote_mta, f.source_ip,
                   (SELECT provider FROM outbound_queue WHERE id = f.outbound_id) FROM f
            """);
        command.Parameters.AddWithValue("report", reportId);
        command.Parameters.AddWithValue("id", outboundId);
        command.Parameters.AddWithValue("ip", NpgsqlDbType.Text, (object?)report.SourceIp ?? DBNull.Value);
        command.Parameters.AddWithValue("type", report.FeedbackType);
        command.Parameters.AddWithValue("agent", NpgsqlDbType.Text, (object?)report.UserAgent ?? DBNull.Value);
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new FeedbackAttribution(FeedbackKind.Complaint, reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
            reader.GetString(4), NullableText(reader, 6), NullableText(reader, 5), NullableText(reader, 7), report.FeedbackType, null, true, now);
    }

    /// <summary>
    /// Applies an asynchronous bounce that came back to a VERP return path: the recipient's row fails (even if the next
    /// hop had accepted it), its sender is owed a DSN, a hard bounce suppresses the address, and a <c>bounced</c> event
    /// is queued. Null when no such row is delivered or waiting.
    /// </summary>
    public async Task<FeedbackAttribution?> BounceAsync(string reportId, string verpToken, string recipient, string statusCode, string diagnostic, string? remoteMta)
    {
        var now = clock.GetUtcNow();
        var hard = hardBounces.IsHard(statusCode);
        await using var command = dataSource.CreateCommand(
            $"""
            WITH q AS (
                UPDATE outbound_queue q SET status = 'failed', status_code = @code, last_reply = @reply,
                       remote_mta = COALESCE(@mta, remote_mta), lease_token = NULL, updated_at = @now,
                       dsn_pending = {OutboundLeaseStore.OwedDsn("'failed'")}
                 WHERE verp_token = @token AND lower(recipient) = lower(@recipient) AND status IN ('queued', 'delivered')
                RETURNING {WebhookOutbox.QueueRowColumns}),
            f AS (
                INSERT INTO feedback_reports (report_id, kind, tenant_id, outbound_id, submission_id, recipient, sending_domain,
                                              source_ip, remote_mta, status_code, received_at)
                SELECT @report, 'bounce', q.blob_tenant, q.id, q.submission_id, lower(q.recipient), lower(split_part(q.envelope_from, '@', 2)),
                       q.source_ip, q.remote_mta, @code, @now FROM q
                ON CONFLICT (report_id, outbound_id) DO NOTHING),
            s AS ({SuppressionSql.Upsert($"SELECT q.blob_tenant, lower(q.recipient), '{SuppressionReasons.HardBounce}', @now::timestamptz, @expires::timestamptz, @reply::text FROM q WHERE @hard")}),
            d AS ({WebhookOutbox.Queue("q", "q.blob_tenant", $"'{WebhookEvents.Bounced}'",
                WebhookOutbox.QueueRowData("q", "jsonb_build_object('suppressed', @hard, 'asynchronous', true)"), "@now")})
            SELECT q.blob_tenant, q.id, q.submission_id, lower(q.recipient), lower(split_part(q.envelope_from, '@', 2)), q.remote_mta,
                   q.source_ip, q.provider FROM q;
            NOTIFY {OutboundQueueStore.Channel};
            """);
        command.Parameters.AddWithValue("report", reportId);
        command.Parameters.AddWithValue("token", verpToken);
        command.Parameters.AddWithValue("recipient", recipient);
        command.Parameters.AddWithValue("code", statusCode);
        command.Parameters.AddWithValue("reply", diagnostic);
        command.Parameters.AddWithValue("mta", NpgsqlDbType.Text, (object?)remoteMta ?? DBNull.Value);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("hard", hard);
        command.Parameters.AddWithValue("expires", now + hardBounces.Lifetime);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new FeedbackAttribution(FeedbackKind.Bounce, reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
            reader.GetString(4), NullableText(reader, 6), NullableText(reader, 5), NullableText(reader, 7), null, statusCode, hard, now);
    }

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
