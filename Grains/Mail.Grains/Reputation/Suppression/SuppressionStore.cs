using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Reputation;
using Mail.Grains.Reputation.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Mail.Grains.Reputation.Suppression;

/// <summary>
/// The per-tenant suppression lists (table suppressions, migration 0011): addresses a tenant's outbound mail is never
/// sent to. Addresses are stored lower-cased; expired entries are ignored by every read. Adding an unsubscribe queues
/// an <c>unsubscribed</c> webhook event in the same statement.
/// </summary>
public sealed class SuppressionStore(NpgsqlDataSource dataSource, HardBounceRule hardBounces, MailClock clock)
{
    private const string Columns = "address, reason, created_at, expires_at, detail";

    /// <summary>
    /// Adds <paramref name="address"/> to <paramref name="tenantId"/>'s list. Null <paramref name="expiresAt"/> takes the
    /// reason's default: hard bounces expire after the configured days, the others never. An entry that lasts longer
    /// than the new one is kept. Throws <see cref="ArgumentException"/> for a malformed address or an unknown reason.
    /// </summary>
    public async Task AddAsync(string tenantId, string address, string reason, DateTimeOffset? expiresAt, string? detail = null)
    {
        var normalized = Normalize(address) ?? throw new ArgumentException($"'{address}' is not an e-mail address.");
        if (!SuppressionReasons.IsValid(reason))
            throw new ArgumentException($"reason must be one of {string.Join(", ", SuppressionReasons.All)}.");
        var now = clock.GetUtcNow();
        var expires = expiresAt ?? (reason == SuppressionReasons.HardBounce ? now + hardBounces.Lifetime : null);
        // The recipient's act is the event, so it is reported even when a stronger entry was already there.
        var unsubscribed = WebhookOutbox.Queue($"(SELECT 1 WHERE @r = '{SuppressionReasons.Unsubscribe}') AS one", "@t::text",
            $"'{WebhookEvents.Unsubscribed}'", "jsonb_build_object('recipient', @a::text)", "@now");
        await using var command = dataSource.CreateCommand(
            $"""
            WITH added AS ({SuppressionSql.Upsert("SELECT @t::text, @a::text, @r::text, @now::timestamptz, @e::timestamptz, @d::text")})
            {unsubscribed}
            """);
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("a", normalized);
        command.Parameters.AddWithValue("r", reason);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("e", NpgsqlDbType.TimestampTz, (object?)expires ?? DBNull.Value);
        command.Parameters.AddWithValue("d", NpgsqlDbType.Text, (object?)detail ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Removes <paramref name="address"/> from the tenant's list; false when it was not on it.</summary>
    public async Task<bool> RemoveAsync(string tenantId, string address)
    {
        if (Normalize(address) is not { } normalized) return false;
        await using var command = dataSource.CreateCommand("DELETE FROM suppressions WHERE tenant_id = @t AND address = @a");
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("a", normalized);
        return await command.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>Those of <paramref name="addresses"/> the tenant's list suppresses now (lower-cased; the set ignores case).</summary>
    public async Task<IReadOnlySet<string>> SuppressedAsync(string tenantId, IReadOnlyCollection<string> addresses)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var normalized = addresses.Select(Normalize).OfType<string>().Distinct().ToArray();
        if (normalized.Length == 0) return found;
        await using var command = dataSource.CreateCommand(
            "SELECT address FROM suppressions WHERE tenant_id = @t AND address = ANY (@a) AND (expires_at IS NULL OR expires_at > @now)");
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("a", normalized);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) found.Add(reader.GetString(0));
        return found;
    }

    /// <summary>The entry of <paramref name="address"/> while it applies, else null.</summary>
    public async Task<SuppressionEntry?> GetAsync(string tenantId, string address)
    {
        if (Normalize(address) is not { } normalized) return null;
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM suppressions WHERE tenant_id = @t AND address = @a AND (expires_at IS NULL OR expires_at > @now)");
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("a", normalized);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        var entries = await ReadAsync(command);
        return entries.Count > 0 ? entries[0] : null;
    }

    /// <summary>
    /// A page of the tenant's entries that apply now, in address order after <paramref name="after"/> (keyset paging:
    /// stable while the list changes, and as fast on the millionth page as on the first), optionally of one reason.
    /// </summary>
    public async Task<SuppressionPage> ListAsync(string tenantId, string? after, int limit, string? reason = null)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM suppressions
             WHERE tenant_id = @t AND (@after::text IS NULL OR address > @after) AND (@r::text IS NULL OR reason = @r)
               AND (expires_at IS NULL OR expires_at > @now)
             ORDER BY address LIMIT @l
            """);
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("after", NpgsqlDbType.Text, (object?)after?.ToLowerInvariant() ?? DBNull.Value);
        command.Parameters.AddWithValue("r", NpgsqlDbType.Text, (object?)reason ?? DBNull.Value);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        command.Parameters.AddWithValue("l", limit + 1);
        var entries = await ReadAsync(command);
        return entries.Count > limit
            ? new SuppressionPage(entries.Take(limit).ToArray(), entries[limit - 1].Address)
            : new SuppressionPage(entries, null);
    }

    /// <summary>Deletes entries that expired before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset before)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM suppressions WHERE expires_at < @b");
        command.Parameters.AddWithValue("b", before);
        return await command.ExecuteNonQueryAsync();
    }

    private static string? Normalize(string address) => AddressKey.Normalize(address);

    private static async Task<List<SuppressionEntry>> ReadAsync(NpgsqlCommand command)
    {
        var entries = new List<SuppressionEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new SuppressionEntry(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return entries;
    }
}
