using Mail.Grains.Interfaces.Reputation;
using Npgsql;
using NpgsqlTypes;

namespace Mail.Grains.Reputation;

/// <summary>The reputation_events table: what automation, thresholds and operators did, and the replies that caused it.</summary>
public sealed class ReputationEventLog(NpgsqlDataSource dataSource)
{
    /// <summary>Event sources.</summary>
    public const string Automation = "automation", Threshold = "threshold", Operator = "operator", Warmup = "warmup";

    /// <summary>Appends an event (its id is assigned here).</summary>
    public async Task AddAsync(ReputationEventView e)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO reputation_events (at, source, action, pool, ip, provider, tenant, rule, until, reply, detail)
            VALUES (@at, @source, @action, @pool, @ip, @provider, @tenant, @rule, @until, @reply, @detail)
            """);
        command.Parameters.AddWithValue("at", e.At);
        command.Parameters.AddWithValue("source", e.Source);
        command.Parameters.AddWithValue("action", e.Action);
        command.Parameters.AddWithValue("pool", NpgsqlDbType.Text, (object?)e.Pool ?? DBNull.Value);
        command.Parameters.AddWithValue("ip", NpgsqlDbType.Text, (object?)e.Ip ?? DBNull.Value);
        command.Parameters.AddWithValue("provider", NpgsqlDbType.Text, (object?)e.Provider ?? DBNull.Value);
        command.Parameters.AddWithValue("tenant", NpgsqlDbType.Text, (object?)e.Tenant ?? DBNull.Value);
        command.Parameters.AddWithValue("rule", NpgsqlDbType.Text, (object?)e.Rule ?? DBNull.Value);
        command.Parameters.AddWithValue("until", NpgsqlDbType.TimestampTz, (object?)e.Until ?? DBNull.Value);
        command.Parameters.AddWithValue("reply", NpgsqlDbType.Text, (object?)e.Reply ?? DBNull.Value);
        command.Parameters.AddWithValue("detail", e.Detail);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Events about an IP and/or a tenant (neither: all), newest first.</summary>
    public async Task<IReadOnlyList<ReputationEventView>> ListAsync(string? ip, string? tenant, long? beforeId, int limit)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, at, source, action, pool, ip, provider, tenant, rule, until, reply, detail FROM reputation_events
             WHERE (@ip::text IS NULL OR ip = @ip) AND (@tenant::text IS NULL OR tenant = @tenant) AND (@before::bigint IS NULL OR id < @before)
             ORDER BY id DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("ip", NpgsqlDbType.Text, (object?)ip ?? DBNull.Value);
        command.Parameters.AddWithValue("tenant", NpgsqlDbType.Text, (object?)tenant ?? DBNull.Value);
        command.Parameters.AddWithValue("before", NpgsqlDbType.Bigint, (object?)beforeId ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<ReputationEventView>();
        while (await reader.ReadAsync())
        {
            events.Add(new ReputationEventView(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                Text(reader, 4), Text(reader, 5), Text(reader, 6), Text(reader, 7), Text(reader, 8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), Text(reader, 10), reader.GetString(11)));
        }
        return events;
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
