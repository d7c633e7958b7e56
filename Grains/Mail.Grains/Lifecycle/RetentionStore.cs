using Npgsql;

namespace Mail.Grains.Lifecycle;

/// <summary>
/// The SQL of history retention. It runs beside the mailbox grains, not through them: it deletes only rows a grain
/// never reads back into memory nor rewrites (change-log rows behind the horizon, old delivery ids), and the horizon
/// row is written with the delete it stands for, so readers (<see cref="Mailboxes.MailboxStore.GetChangesAsync"/>)
/// see both or neither.
/// </summary>
public sealed class RetentionStore(NpgsqlDataSource dataSource)
{
    // SQLSTATE of a foreign key violation: the mailbox was purged while its history was being pruned.
    private const string ForeignKeyViolation = "23503";

    /// <summary>A page of mailboxes by account id, after <paramref name="after"/>, with where their change log stands.</summary>
    public async Task<IReadOnlyList<MailboxHistory>> ListAsync(string after, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT m.account_id, m.highest_modseq, COALESCE(h.pruned_through, 0), c.changed_at
            FROM mailboxes m
            LEFT JOIN mailbox_change_horizons h ON h.account_id = m.account_id
            LEFT JOIN LATERAL (
                SELECT changed_at FROM mailbox_changes
                WHERE account_id = m.account_id AND modseq > COALESCE(h.pruned_through, 0) ORDER BY modseq LIMIT 1) c ON true
            WHERE m.account_id > @after ORDER BY m.account_id LIMIT @l
            """);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("l", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var page = new List<MailboxHistory>();
        while (await reader.ReadAsync(ct))
        {
            page.Add(new MailboxHistory(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return page;
    }

    /// <summary>
    /// The first MODSEQ after <paramref name="after"/> whose change was made at or after <paramref name="cutoff"/>, or
    /// null. One writer appends a mailbox's log in MODSEQ order, so every change before it is older than the cutoff.
    /// </summary>
    public async Task<long?> FirstChangeSinceAsync(string accountId, long after, DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT modseq FROM mailbox_changes WHERE account_id = @a AND modseq > @p AND changed_at >= @c ORDER BY modseq LIMIT 1");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("p", after);
        command.Parameters.AddWithValue("c", cutoff);
        return await command.ExecuteScalarAsync(ct) as long?;
    }

    /// <summary>Deletes the changes in (<paramref name="from"/>, <paramref name="through"/>] and moves the horizon to <paramref name="through"/>, in one transaction; the number deleted.</summary>
    public async Task<int> PruneChangesAsync(string accountId, long from, long through, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        var delete = new NpgsqlBatchCommand("DELETE FROM mailbox_changes WHERE account_id = @a AND modseq > @lo AND modseq <= @hi");
        delete.Parameters.AddWithValue("a", accountId);
        delete.Parameters.AddWithValue("lo", from);
        delete.Parameters.AddWithValue("hi", through);
        batch.BatchCommands.Add(delete);
        var horizon = new NpgsqlBatchCommand(
            """
            INSERT INTO mailbox_change_horizons (account_id, pruned_through) SELECT @a, @hi WHERE EXISTS (SELECT 1 FROM mailboxes WHERE account_id = @a)
            ON CONFLICT (account_id) DO UPDATE SET pruned_through = GREATEST(mailbox_change_horizons.pruned_through, excluded.pruned_through)
            """);
        horizon.Parameters.AddWithValue("a", accountId);
        horizon.Parameters.AddWithValue("hi", through);
        batch.BatchCommands.Add(horizon);
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
            return delete.RecordsAffected;
        }
        catch (PostgresException e) when (e.SqlState == ForeignKeyViolation)
        {
            return 0;
        }
    }

    /// <summary>Deletes up to <paramref name="limit"/> delivery ids filed before <paramref name="cutoff"/>; the number deleted.</summary>
    public async Task<int> PruneDeliveriesAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            DELETE FROM mailbox_deliveries WHERE (account_id, delivery_id) IN (
                SELECT account_id, delivery_id FROM mailbox_deliveries WHERE delivered_at < @c LIMIT @l)
            """);
        command.Parameters.AddWithValue("c", cutoff);
        command.Parameters.AddWithValue("l", limit);
        return await command.ExecuteNonQueryAsync(ct);
    }
}
