using Mail.Grains.Hosting;
using Mail.Grains.Outbound;
using Npgsql;

namespace Mail.Grains.Reputation;

/// <summary>
/// The reputation side of outbound queue rows (migration 0010): which pool, source IP and provider a leased row was
/// granted, holds (rows given back under a lease, due later, with the reason, without spending an attempt) and the
/// release of held rows when an operator lifts what held them.
/// </summary>
public sealed class ReputationQueueStore(NpgsqlDataSource dataSource, MailClock clock)
{
    /// <summary>Records the pool, source IP and provider granted to rows leased under <paramref name="leasedUntil"/>.</summary>
    public async Task AssignAsync(IReadOnlyList<RowAssignment> rows, DateTimeOffset leasedUntil)
    {
        if (rows.Count == 0) return;
        await using var command = dataSource.CreateCommand(
            """
            UPDATE outbound_queue q SET pool = u.pool, source_ip = u.ip, provider = u.provider
              FROM unnest(@ids, @pools, @ips, @providers) AS u(id, pool, ip, provider)
             WHERE q.id = u.id AND q.status = 'queued' AND q.lease_token = @lease
            """);
        command.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
        command.Parameters.AddWithValue("pools", rows.Select(r => r.Pool).ToArray());
        command.Parameters.AddWithValue("ips", rows.Select(r => r.Ip).ToArray());
        command.Parameters.AddWithValue("providers", rows.Select(r => r.Provider).ToArray());
        command.Parameters.AddWithValue("lease", leasedUntil);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Gives leased rows back, each due at its own time with the reason it waits; no attempt is spent.</summary>
    public async Task HoldAsync(IReadOnlyList<HeldRow> rows, DateTimeOffset leasedUntil)
    {
        if (rows.Count == 0) return;
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE outbound_queue q SET next_attempt_at = u.due, lease_token = NULL, hold_reason = u.reason,
                   pool = COALESCE(u.pool, q.pool), provider = COALESCE(u.provider, q.provider)
              FROM unnest(@ids, @dues, @reasons, @pools, @providers) AS u(id, due, reason, pool, provider)
             WHERE q.id = u.id AND q.status = 'queued' AND q.lease_token = @lease;
            NOTIFY {OutboundQueueStore.Channel};
            """);
        command.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
        command.Parameters.AddWithValue("dues", rows.Select(r => r.Due).ToArray());
        command.Parameters.AddWithValue("reasons", rows.Select(r => r.Reason).ToArray());
        command.Parameters.AddWithValue("pools", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => r.Pool).ToArray());
        command.Parameters.AddWithValue("providers", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => r.Provider).ToArray());
        command.Parameters.AddWithValue("lease", leasedUntil);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Makes the held rows of a pool or of a tenant due now (an operator resumed an IP or lifted a tenant); returns how many.</summary>
    public async Task<int> ReleaseHeldAsync(string? pool, string? tenant)
    {
        var filter = pool is not null ? "pool = @key" : "tenant_id = @key";
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE outbound_queue SET next_attempt_at = @now
             WHERE status = 'queued' AND hold_reason IS NOT NULL AND {filter} AND lease_token IS NULL AND next_attempt_at > @now;
            NOTIFY {OutboundQueueStore.Channel};
            """);
        command.Parameters.AddWithValue("key", pool ?? tenant ?? "");
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await command.ExecuteNonQueryAsync();
    }
}

/// <summary>The pool, source IP and provider a row was granted.</summary>
public sealed record RowAssignment(long Id, string Pool, string Ip, string Provider);

/// <summary>A row given back until <see cref="Due"/> because of <see cref="Reason"/>.</summary>
public sealed record HeldRow(long Id, DateTimeOffset Due, string Reason, string? Pool, string? Provider);
