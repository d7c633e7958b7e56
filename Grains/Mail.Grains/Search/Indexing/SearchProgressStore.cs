using Npgsql;

namespace Mail.Grains.Search.Indexing;

/// <summary>How far each mailbox is indexed (search_progress); -1 asks for a rebuild from the rows.</summary>
public sealed class SearchProgressStore(NpgsqlDataSource dataSource)
{
    /// <summary>The progress value that asks for a rebuild.</summary>
    public const long Rebuild = -1;

    /// <summary>The MODSEQ the mailbox is indexed through; null before its first catch-up.</summary>
    public async Task<long?> GetAsync(string accountId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT modseq FROM search_progress WHERE account_id = @a");
        command.Parameters.AddWithValue("a", accountId);
        return await command.ExecuteScalarAsync(ct) is long modseq ? modseq : null;
    }

    /// <summary>Records the MODSEQ indexed through (committed asynchronously, like the documents: <see cref="AsyncCommit"/>).</summary>
    public async Task SetAsync(string accountId, long modseq, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO search_progress (account_id, modseq) VALUES (@a, @m)
            ON CONFLICT (account_id) DO UPDATE SET modseq = excluded.modseq, updated_at = now()
            """);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("m", modseq);
        await AsyncCommit.ExecuteAsync(dataSource, command, ct);
    }

    /// <summary>Asks for a rebuild of every mailbox of a tenant, or of one account; returns how many mailboxes.</summary>
    public async Task<int> RequestRebuildAsync(string? tenantId, string? accountId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO search_progress (account_id, modseq)
            SELECT account_id, -1 FROM mailboxes WHERE (@t::text IS NULL OR tenant_id = @t) AND (@a::text IS NULL OR account_id = @a)
            ON CONFLICT (account_id) DO UPDATE SET modseq = -1, updated_at = now()
            """);
        command.Parameters.AddWithValue("t", (object?)tenantId ?? DBNull.Value);
        command.Parameters.AddWithValue("a", (object?)accountId ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Mailboxes whose change log is ahead of (or apart from) their index, at most <paramref name="limit"/>. A mailbox
    /// never indexed that holds no message has nothing to index: a million imported, never used accounts must not wake
    /// a million indexers (and their mailbox grains) through the sweep.
    /// </summary>
    public async Task<IReadOnlyList<string>> LaggingAsync(int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT m.account_id FROM mailboxes m LEFT JOIN search_progress p ON p.account_id = m.account_id
            WHERE p.modseq IS DISTINCT FROM m.highest_modseq AND (p.account_id IS NOT NULL OR m.message_count > 0) LIMIT @n
            """);
        command.Parameters.AddWithValue("n", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var accounts = new List<string>();
        while (await reader.ReadAsync(ct)) accounts.Add(reader.GetString(0));
        return accounts;
    }
}
