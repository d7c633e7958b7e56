using Npgsql;

namespace Mail.Grains.Lifecycle;

/// <summary>
/// The SQL of blob collection: which released blobs are due, whether any row (a mailbox message of any recipient, an
/// outbound queue row) still references a blob, and the orphan sweep's progress. A blob name starts with its tenant,
/// so a name is unique across tenants and one index per table answers the check.
/// </summary>
public sealed class BlobReferenceStore(NpgsqlDataSource dataSource)
{
    private const string Unreferenced =
        """
        NOT EXISTS (SELECT 1 FROM mailbox_messages m WHERE m.blob_name = {0})
        AND NOT EXISTS (SELECT 1 FROM outbound_queue q WHERE q.blob_name = {0})
        """;

    /// <summary>
    /// Up to <paramref name="limit"/> blobs released before <paramref name="cutoff"/>, oldest first, each with whether a
    /// row references it now: the check is one statement, so it sees every delivery committed before it started.
    /// </summary>
    public async Task<IReadOnlyList<ReleasedBlob>> DueAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT r.blob_tenant, r.blob_name, NOT ({string.Format(Unreferenced, "r.blob_name")})
            FROM blob_releases r WHERE r.released_at < @c ORDER BY r.released_at LIMIT @l
            """);
        command.Parameters.AddWithValue("c", cutoff);
        command.Parameters.AddWithValue("l", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var due = new List<ReleasedBlob>();
        while (await reader.ReadAsync(ct)) due.Add(new ReleasedBlob(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        return due;
    }

    /// <summary>
    /// Forgets the releases of <paramref name="names"/> made before <paramref name="cutoff"/> (deleted, or still referenced:
    /// the next release notes them again); one released again since stays for the next pass.
    /// </summary>
    public async Task ForgetAsync(IReadOnlyCollection<string> names, DateTimeOffset cutoff, CancellationToken ct)
    {
        if (names.Count == 0) return;
        await using var command = dataSource.CreateCommand("DELETE FROM blob_releases WHERE blob_name = ANY(@n) AND released_at < @c");
        command.Parameters.AddWithValue("n", names.ToArray());
        command.Parameters.AddWithValue("c", cutoff);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Which of <paramref name="names"/> no row references and no release names (a released blob is the release path's,
    /// with its own grace period): the orphans among blobs the sweep found.
    /// </summary>
    public async Task<IReadOnlyList<string>> OrphansAsync(IReadOnlyCollection<string> names, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT n FROM unnest(@n) AS n
            WHERE {string.Format(Unreferenced, "n")} AND NOT EXISTS (SELECT 1 FROM blob_releases r WHERE r.blob_name = n)
            """);
        command.Parameters.AddWithValue("n", names.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var orphans = new List<string>();
        while (await reader.ReadAsync(ct)) orphans.Add(reader.GetString(0));
        return orphans;
    }

    /// <summary>Blobs written before this were swept; null before the first sweep.</summary>
    public async Task<DateTimeOffset?> SweptBeforeAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT written_before FROM blob_sweeps WHERE id = 1");
        return await command.ExecuteScalarAsync(ct) is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    /// <summary>Records that blobs written before <paramref name="writtenBefore"/> were swept.</summary>
    public async Task SetSweptBeforeAsync(DateTimeOffset writtenBefore, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO blob_sweeps (id, written_before) VALUES (1, @w) ON CONFLICT (id) DO UPDATE SET written_before = excluded.written_before");
        command.Parameters.AddWithValue("w", writtenBefore);
        await command.ExecuteNonQueryAsync(ct);
    }
}
