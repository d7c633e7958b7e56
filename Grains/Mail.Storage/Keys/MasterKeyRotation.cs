using Npgsql;

namespace Mail.Storage.Keys;

/// <summary>
/// Re-wraps every tenant key under one master key version: after <see cref="RotateAsync"/> (a new version) or
/// <see cref="RewrapAsync"/> (the current one, e.g. after the operator added a version to the file or the vault).
/// One rotation at a time across all processes (an advisory lock); the tenant keys themselves do not change, so no
/// blob or sealed DKIM key is rewritten and running silos keep working throughout.
/// </summary>
public sealed class MasterKeyRotation(NpgsqlDataSource dataSource, IMasterKeyProvider master)
{
    private const long RotationLockId = 0x6D61696C_6B657973;
    private const int BatchSize = 500;

    /// <summary>Adds a master key version and re-wraps every tenant key under it.</summary>
    public Task<RewrapResult> RotateAsync(CancellationToken ct) => UnderLockAsync(master.AddVersionAsync, ct);

    /// <summary>Re-wraps every tenant key not yet wrapped under the current master key version.</summary>
    public Task<RewrapResult> RewrapAsync(CancellationToken ct) => UnderLockAsync(master.GetCurrentAsync, ct);

    private async Task<RewrapResult> UnderLockAsync(Func<CancellationToken, Task<MasterKey>> target, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<long> { TypedValue = RotationLockId });
            await lockCommand.ExecuteNonQueryAsync(ct);
        }
        try
        {
            var key = await target(ct);
            var rewrapped = await RewrapAllAsync(connection, key, ct);
            return new RewrapResult(key.Id, rewrapped, await CountOthersAsync(connection, key.Id, ct));
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            unlock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = RotationLockId });
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    // Keyset pages, so the walk ends even if rows change under it. A key that fails to unwrap stops the rotation with
    // its error and its page is rolled back; earlier pages stay re-wrapped, and a re-wrap continues from there.
    private async Task<int> RewrapAllAsync(NpgsqlConnection connection, MasterKey target, CancellationToken ct)
    {
        var total = 0;
        var after = ("", -1);
        while (true)
        {
            var rows = await ReadPageAsync(connection, target.Id, after, ct);
            if (rows.Count == 0) return total;
            await using var transaction = await connection.BeginTransactionAsync(ct);
            foreach (var (tenantId, version, masterId, wrapped) in rows)
            {
                var key = TenantKeyWrap.Unwrap(await master.GetAsync(masterId, ct), tenantId, version, wrapped);
                await using var update = new NpgsqlCommand(
                    """
                    UPDATE tenant_keys SET master_key_id = $1, wrapped_key = $2, rewrapped_at = now()
                    WHERE tenant_id = $3 AND version = $4 AND master_key_id = $5
                    """, connection, transaction);
                update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = target.Id });
                update.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = TenantKeyWrap.Wrap(target, tenantId, version, key) });
                update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
                update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = masterId });
                total += await update.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);
            after = (rows[^1].TenantId, rows[^1].Version);
        }
    }

    private static async Task<List<(string TenantId, int Version, string MasterId, byte[] Wrapped)>> ReadPageAsync(
        NpgsqlConnection connection, string targetId, (string TenantId, int Version) after, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT tenant_id, version, master_key_id, wrapped_key FROM tenant_keys
            WHERE master_key_id <> $1 AND (tenant_id, version) > ($2, $3)
            ORDER BY tenant_id, version LIMIT $4
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = targetId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after.TenantId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = after.Version });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
        var rows = new List<(string, int, string, byte[])>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3)));
        return rows;
    }

    private static async Task<int> CountOthersAsync(NpgsqlConnection connection, string targetId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM tenant_keys WHERE master_key_id <> $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = targetId });
        return (int)(long)(await command.ExecuteScalarAsync(ct))!;
    }
}
