using Mail.Grains.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace Mail.Grains.Reputation.Webhooks;

/// <summary>
/// The dispatcher's side of the webhook outbox: leasing due deliveries (the due time moved forward, so a crashed
/// dispatcher's deliveries come due again), recording a batch of attempts in one statement, and trimming the log.
/// </summary>
public sealed class WebhookDeliveryStore(NpgsqlDataSource dataSource, WebhookSecretSealer sealer, MailClock clock)
{
    /// <summary>Leases up to <paramref name="limit"/> due deliveries for <paramref name="lease"/>, oldest due first, with their endpoints' secrets opened.</summary>
    public async Task<IReadOnlyList<PendingDelivery>> LeaseDueAsync(int limit, TimeSpan lease)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand(
            """
            WITH due AS (
                SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= @now
                 ORDER BY next_attempt_at LIMIT @limit FOR UPDATE SKIP LOCKED)
            UPDATE webhook_deliveries d SET next_attempt_at = @lease
              FROM due, webhooks w
             WHERE d.id = due.id AND w.id = d.webhook_id
            RETURNING d.id, d.tenant_id, d.event, d.data::text, d.created_at, d.attempts, w.url, w.secret, w.secret_sealed
            """);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("lease", now + lease);
        var leased = new List<PendingDelivery>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (tenant, url) = (reader.GetString(1), reader.GetString(6));
            // Rows made before secrets were sealed (migration 0014) keep a plain one.
            var secret = reader.IsDBNull(8) ? reader.GetString(7) : await OpenAsync(tenant, url, reader.GetFieldValue<byte[]>(8));
            leased.Add(new PendingDelivery(reader.GetInt64(0), tenant, reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5), url, secret));
        }
        return leased;
    }

    /// <summary>The endpoint's secret; null when it does not open (tampered, or its tenant key is gone), which fails that delivery alone.</summary>
    private async Task<string?> OpenAsync(string tenant, string url, byte[] sealedSecret)
    {
        try
        {
            return await sealer.OpenAsync(tenant, url, sealedSecret);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or Mail.Storage.Keys.TenantKeyNotFoundException
                                       or Mail.Storage.Keys.TenantKeyUnwrapException)
        {
            return null;
        }
    }

    /// <summary>Records attempts: each delivery's new state and one log row per attempt, in one statement.</summary>
    public async Task RecordAsync(IReadOnlyList<DeliveryResult> results)
    {
        if (results.Count == 0) return;
        await using var command = dataSource.CreateCommand(
            """
            WITH r AS (
                SELECT * FROM unnest(@ids, @delivered, @ats, @codes, @errors, @durations, @nexts)
                    AS r(id, delivered, at, code, error, duration, next)),
            u AS (
                UPDATE webhook_deliveries d
                   SET status = CASE WHEN r.delivered THEN 'delivered' WHEN r.next IS NULL THEN 'failed' ELSE 'pending' END,
                       attempts = d.attempts + 1, next_attempt_at = COALESCE(r.next, r.at), last_status = r.code, last_error = r.error,
                       finished_at = CASE WHEN r.next IS NULL THEN r.at END
                  FROM r WHERE d.id = r.id AND d.status = 'pending'
                RETURNING d.id, d.attempts)
            INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms)
            SELECT u.id, u.attempts, r.at, r.code, r.error, r.duration FROM u JOIN r ON r.id = u.id
            """);
        command.Parameters.AddWithValue("ids", results.Select(r => r.Id).ToArray());
        command.Parameters.AddWithValue("delivered", results.Select(r => r.Delivered).ToArray());
        command.Parameters.AddWithValue("ats", results.Select(r => r.AttemptedAt).ToArray());
        command.Parameters.AddWithValue("codes", NpgsqlDbType.Array | NpgsqlDbType.Integer, results.Select(r => r.StatusCode).ToArray());
        command.Parameters.AddWithValue("errors", NpgsqlDbType.Array | NpgsqlDbType.Text, results.Select(r => r.Error).ToArray());
        command.Parameters.AddWithValue("durations", results.Select(r => r.DurationMs).ToArray());
        command.Parameters.AddWithValue("nexts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, results.Select(r => r.NextAttemptAt).ToArray());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>When the next pending delivery comes due, or null when none waits.</summary>
    public async Task<DateTimeOffset?> NextDueAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'");
        return await command.ExecuteScalarAsync() is DateTime time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : null;
    }

    /// <summary>Deletes deliveries (and their attempts) that finished before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PurgeFinishedAsync(DateTimeOffset before)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_deliveries WHERE finished_at < @b");
        command.Parameters.AddWithValue("b", before);
        return await command.ExecuteNonQueryAsync();
    }
}
