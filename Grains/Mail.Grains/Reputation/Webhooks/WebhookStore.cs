using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Reputation;
using Npgsql;
using NpgsqlTypes;

namespace Mail.Grains.Reputation.Webhooks;

/// <summary>A tenant's webhook registrations and their delivery log (tables webhooks, webhook_deliveries, webhook_attempts). Every statement names the tenant.</summary>
public sealed class WebhookStore(NpgsqlDataSource dataSource, WebhookSecretSealer sealer, MailClock clock)
{
    /// <summary>Registers an endpoint, its secret sealed, unless the tenant already has <paramref name="max"/>; null then.</summary>
    public async Task<WebhookInfo?> CreateAsync(string tenantId, string url, IReadOnlyList<string> events, string secret, int max)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO webhooks (tenant_id, url, secret_sealed, events, created_at)
            SELECT @t, @u, @s, @e, @now WHERE (SELECT count(*) FROM webhooks WHERE tenant_id = @t) < @max
            RETURNING id, url, events, created_at
            """);
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("u", url);
        command.Parameters.AddWithValue("s", await sealer.SealAsync(tenantId, url, secret));
        command.Parameters.AddWithValue("e", events.ToArray());
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        command.Parameters.AddWithValue("max", (long)max);
        var created = await ReadAsync(command);
        return created.Count > 0 ? created[0] : null;
    }

    /// <summary>The tenant's endpoints, oldest first.</summary>
    public async Task<IReadOnlyList<WebhookInfo>> ListAsync(string tenantId)
    {
        await using var command = dataSource.CreateCommand("SELECT id, url, events, created_at FROM webhooks WHERE tenant_id = @t ORDER BY id");
        command.Parameters.AddWithValue("t", tenantId);
        return await ReadAsync(command);
    }

    /// <summary>The tenant's endpoint <paramref name="id"/>, or null.</summary>
    public async Task<WebhookInfo?> GetAsync(string tenantId, long id)
    {
        await using var command = dataSource.CreateCommand("SELECT id, url, events, created_at FROM webhooks WHERE tenant_id = @t AND id = @id");
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("id", id);
        var found = await ReadAsync(command);
        return found.Count > 0 ? found[0] : null;
    }

    /// <summary>Removes the tenant's endpoint <paramref name="id"/> with its deliveries; false when it has none such.</summary>
    public async Task<bool> DeleteAsync(string tenantId, long id)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhooks WHERE tenant_id = @t AND id = @id");
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>Deliveries of the tenant's endpoint <paramref name="webhookId"/>, newest first, each with its attempts.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryInfo>> DeliveriesAsync(string tenantId, long webhookId, long? beforeId, int limit)
    {
        var rows = new List<(long Id, string Event, string Status, int Attempts, DateTimeOffset Created, DateTimeOffset? Next,
            DateTimeOffset? Finished, int? LastStatus, string? LastError)>();
        await using (var command = dataSource.CreateCommand(
            """
            SELECT id, event, status, attempts, created_at, CASE WHEN status = 'pending' THEN next_attempt_at END,
                   finished_at, last_status, last_error
              FROM webhook_deliveries
             WHERE tenant_id = @t AND webhook_id = @w AND (@before::bigint IS NULL OR id < @before)
             ORDER BY id DESC LIMIT @l
            """))
        {
            command.Parameters.AddWithValue("t", tenantId);
            command.Parameters.AddWithValue("w", webhookId);
            command.Parameters.AddWithValue("before", NpgsqlDbType.Bigint, (object?)beforeId ?? DBNull.Value);
            command.Parameters.AddWithValue("l", limit);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                    reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
            }
        }
        var log = rows.ToDictionary(r => r.Id, _ => new List<WebhookAttemptInfo>());
        if (rows.Count > 0)
        {
            await using var command = dataSource.CreateCommand(
                """
                SELECT delivery_id, attempt, attempted_at, status_code, error, duration_ms
                  FROM webhook_attempts WHERE delivery_id = ANY (@ids) ORDER BY delivery_id, attempt
                """);
            command.Parameters.AddWithValue("ids", log.Keys.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                log[reader.GetInt64(0)].Add(new WebhookAttemptInfo(reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5)));
            }
        }
        return rows.Select(r => new WebhookDeliveryInfo(r.Id, r.Event, r.Status, r.Attempts, r.Created, r.Next, r.Finished,
            r.LastStatus, r.LastError, log[r.Id])).ToArray();
    }

    private static async Task<List<WebhookInfo>> ReadAsync(NpgsqlCommand command)
    {
        var hooks = new List<WebhookInfo>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            hooks.Add(new WebhookInfo(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return hooks;
    }
}
