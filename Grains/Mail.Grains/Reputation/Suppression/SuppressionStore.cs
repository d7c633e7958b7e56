using Npgsql;

namespace Mail.Grains.Reputation.Suppression;

/// <summary>
/// The per-tenant suppression list (table <c>suppressions</c>): addresses a tenant's mail must not be sent to, with why
/// and until when (null: for good). Addresses compare lower-case. An expired entry no longer suppresses.
/// </summary>
public sealed class SuppressionStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Suppresses <paramref name="address"/> for <paramref name="tenantId"/>; adding it again replaces the reason and expiry.</summary>
    public async Task AddAsync(string tenantId, string address, string reason, DateTimeOffset? expiresAt)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO suppressions (tenant_id, address, reason, created_at, expires_at) VALUES (@t, @a, @r, @now, @e)
            ON CONFLICT (tenant_id, address) DO UPDATE SET reason = EXCLUDED.reason, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
            """);
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("a", address.ToLowerInvariant());
        command.Parameters.AddWithValue("r", reason);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        command.Parameters.AddWithValue("e", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)expiresAt ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Which of <paramref name="addresses"/> are suppressed for <paramref name="tenantId"/> now (lower-case).</summary>
    public async Task<IReadOnlySet<string>> SuppressedAsync(string tenantId, IReadOnlyCollection<string> addresses)
    {
        var suppressed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (addresses.Count == 0) return suppressed;
        await using var command = dataSource.CreateCommand(
            """
            SELECT address FROM suppressions
             WHERE tenant_id = @t AND address = ANY(@a) AND (expires_at IS NULL OR expires_at > @now)
            """);
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("a", addresses.Select(a => a.ToLowerInvariant()).Distinct().ToArray());
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) suppressed.Add(reader.GetString(0));
        return suppressed;
    }
}
