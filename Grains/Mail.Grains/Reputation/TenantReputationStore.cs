using Npgsql;
using NpgsqlTypes;

namespace Mail.Grains.Reputation;

/// <summary>The tenant_reputation table (migration 0010); each row is written only by its tenant's reputation grain.</summary>
public sealed class TenantReputationStore(NpgsqlDataSource dataSource)
{
    /// <summary>The stored standing, or null for a tenant with none.</summary>
    public async Task<TenantStanding?> LoadAsync(string tenant)
    {
        await using var command = dataSource.CreateCommand("SELECT state, reason, since, until, review, lifted_at FROM tenant_reputation WHERE tenant = @t");
        command.Parameters.AddWithValue("t", tenant);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new TenantStanding(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
            reader.GetBoolean(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
    }

    /// <summary>Writes the standing.</summary>
    public async Task SaveAsync(string tenant, TenantStanding s, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO tenant_reputation (tenant, state, reason, since, until, review, lifted_at, updated_at)
            VALUES (@t, @state, @reason, @since, @until, @review, @lifted, @now)
            ON CONFLICT (tenant) DO UPDATE SET state = EXCLUDED.state, reason = EXCLUDED.reason, since = EXCLUDED.since, until = EXCLUDED.until,
                review = EXCLUDED.review, lifted_at = EXCLUDED.lifted_at, updated_at = EXCLUDED.updated_at
            """);
        command.Parameters.AddWithValue("t", tenant);
        command.Parameters.AddWithValue("state", s.State);
        command.Parameters.AddWithValue("reason", NpgsqlDbType.Text, (object?)s.Reason ?? DBNull.Value);
        command.Parameters.AddWithValue("since", NpgsqlDbType.TimestampTz, (object?)s.Since ?? DBNull.Value);
        command.Parameters.AddWithValue("until", NpgsqlDbType.TimestampTz, (object?)s.Until ?? DBNull.Value);
        command.Parameters.AddWithValue("review", s.Review);
        command.Parameters.AddWithValue("lifted", NpgsqlDbType.TimestampTz, (object?)s.LiftedAt ?? DBNull.Value);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync();
    }
}
