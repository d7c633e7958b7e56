using Npgsql;

namespace Mail.Grains.Search;

/// <summary>
/// Runs a write to data derived from the change log (search documents, search progress) in a transaction with
/// <c>synchronous_commit</c> off: the commit does not wait for its WAL flush, so indexing takes no turn in the WAL
/// flushes that acknowledged deliveries wait for. Safe because nothing is acknowledged on it: a crash can lose only the
/// last fraction of a second of index writes, and with them (WAL is replayed in order) the progress rows written after
/// them, so the indexer replays those changes from the log.
/// </summary>
public static class AsyncCommit
{
    /// <summary>Executes <paramref name="command"/> (not yet bound to a connection) in its own asynchronously committed transaction.</summary>
    public static async Task<int> ExecuteAsync(NpgsqlDataSource dataSource, NpgsqlCommand command, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var relax = new NpgsqlCommand("SET LOCAL synchronous_commit = off", connection, transaction))
        {
            await relax.ExecuteNonQueryAsync(ct);
        }
        command.Connection = connection;
        command.Transaction = transaction;
        var rows = await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return rows;
    }
}
