using Npgsql;

namespace Mail.Grains.Lifecycle;

/// <summary>
/// A PostgreSQL session advisory lock held for one background pass, so that of all silos running the same service
/// only one works at a time (the others skip that round). Released on dispose, or by PostgreSQL if the session dies.
/// </summary>
public sealed class LifecycleLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private LifecycleLock(NpgsqlConnection connection, long key) => (_connection, _key) = (connection, key);

    /// <summary>The lock named <paramref name="name"/>, or null when another session holds it.</summary>
    public static async Task<LifecycleLock?> TryTakeAsync(NpgsqlDataSource dataSource, string name, CancellationToken ct)
    {
        var key = Key(name);
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", connection);
            command.Parameters.AddWithValue("k", key);
            if ((bool)(await command.ExecuteScalarAsync(ct))!) return new LifecycleLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            // Pooled connections are not reset on close (MailDataSource), so the lock must be let go explicitly.
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", _connection);
            command.Parameters.AddWithValue("k", _key);
            await command.ExecuteScalarAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    // A stable 64-bit key per name (FNV-1a), so the same name locks the same key in every process.
    private static long Key(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return unchecked((long)hash);
    }
}
