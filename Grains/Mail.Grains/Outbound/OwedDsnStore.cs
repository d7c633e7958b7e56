using Mail.Grains.Interfaces.Mailboxes;
using Npgsql;

namespace Mail.Grains.Outbound;

/// <summary>The DSN outbox: rows marked <c>dsn_pending</c> in the same statement that failed or delayed them.</summary>
public sealed class OwedDsnStore(NpgsqlDataSource dataSource)
{
    /// <summary>Up to <paramref name="limit"/> owed rows, grouped by message.</summary>
    public async Task<IReadOnlyList<OwedDsn>> ReadAsync(int limit)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, dsn_pending, submission_id, sender_account_id, envelope_from, recipient, blob_tenant, blob_name, blob_length,
                   created_at, last_attempt_at, last_reply, remote_mta, status_code, expires_at
            FROM outbound_queue WHERE dsn_pending IS NOT NULL ORDER BY submission_id, id LIMIT @l
            """);
        command.Parameters.AddWithValue("l", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<OwedDsn>();
        while (await reader.ReadAsync())
        {
            rows.Add(new OwedDsn(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), new StoredBlob(reader.GetString(6), reader.GetString(7), reader.GetInt64(8)),
                reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.IsDBNull(13) ? null : reader.GetString(13), reader.GetFieldValue<DateTimeOffset>(14)));
        }
        return rows;
    }

    /// <summary>Marks the DSN of these rows as sent, unless a newer one of another kind is owed meanwhile.</summary>
    public async Task ClearAsync(IReadOnlyList<long> ids, string kind)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE outbound_queue SET dsn_pending = NULL WHERE id = ANY(@ids) AND dsn_pending = @kind");
        command.Parameters.AddWithValue("ids", ids.ToArray());
        command.Parameters.AddWithValue("kind", kind);
        await command.ExecuteNonQueryAsync();
    }
}
