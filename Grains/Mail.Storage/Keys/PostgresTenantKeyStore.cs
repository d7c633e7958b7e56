using System.Collections.Concurrent;
using System.Security.Cryptography;
using Mail.Storage.Blobs;
using Npgsql;

namespace Mail.Storage.Keys;

/// <summary>
/// Tenant keys in the tenant_keys table, each version wrapped under a master key version (<see cref="TenantKeyWrap"/>).
/// Unwrapped keys are cached for the life of the process (a version's key never changes, only its wrapping); the
/// current version is looked up again after <c>currentRefresh</c>, so a rotation by another process takes over.
/// </summary>
public sealed class PostgresTenantKeyStore(NpgsqlDataSource dataSource, IMasterKeyProvider master, TimeSpan currentRefresh) : ITenantKeyStore
{
    private const int RotationAttempts = 5;

    private readonly ConcurrentDictionary<(string Tenant, int Version), byte[]> _keys = new();
    private readonly ConcurrentDictionary<string, (TenantKey Key, long Until)> _current = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<TenantKey> GetCurrentAsync(string tenantId, CancellationToken ct)
    {
        // Rejected rather than rewritten: the id is part of the blob names and of the wrapping's associated data.
        TenantIdFormat.Validate(tenantId);
        return _current.TryGetValue(tenantId, out var entry) && entry.Until > Environment.TickCount64
            ? ValueTask.FromResult(entry.Key)
            : new ValueTask<TenantKey>(LoadCurrentAsync(tenantId, ct));
    }

    /// <inheritdoc />
    public ValueTask<byte[]> GetAsync(string tenantId, int version, CancellationToken ct)
    {
        TenantIdFormat.Validate(tenantId);
        return _keys.TryGetValue((tenantId, version), out var key)
            ? ValueTask.FromResult(key)
            : new ValueTask<byte[]>(LoadAsync(tenantId, version, ct));
    }

    /// <summary>Adds a new key version for the tenant, which new data is encrypted under from now on (in other processes after their refresh); old versions stay for the data that names them.</summary>
    public async Task<TenantKey> RotateAsync(string tenantId, CancellationToken ct)
    {
        TenantIdFormat.Validate(tenantId);
        for (var attempt = 0; attempt < RotationAttempts; attempt++)
        {
            var newest = await ReadNewestAsync(tenantId, ct);
            var version = newest is null ? TenantKey.FirstVersion : newest.Value.Version + 1;
            if (await TryCreateAsync(tenantId, version, ct) is { } created) return created;
        }
        throw new InvalidOperationException($"Could not add a key version for tenant '{tenantId}': other rotations kept taking the next version.");
    }

    private async Task<TenantKey> LoadCurrentAsync(string tenantId, CancellationToken ct)
    {
        var newest = await ReadNewestAsync(tenantId, ct);
        if (newest is null)
        {
            // Two processes may create the first version at once: the row that lands is the key for good, and
            // the process that lost the race reads the winner's.
            if (await TryCreateAsync(tenantId, TenantKey.FirstVersion, ct) is { } created) return created;
            newest = await ReadNewestAsync(tenantId, ct)
                ?? throw new InvalidOperationException($"The first key of tenant '{tenantId}' vanished after it was created.");
        }
        var (version, masterId, wrapped) = newest.Value;
        var key = new TenantKey(version, await UnwrapAsync(tenantId, version, masterId, wrapped, ct));
        RememberCurrent(tenantId, key);
        return key;
    }

    private async Task<byte[]> LoadAsync(string tenantId, int version, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT master_key_id, wrapped_key FROM tenant_keys WHERE tenant_id = $1 AND version = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) throw new TenantKeyNotFoundException(tenantId, version);
        var masterId = reader.GetString(0);
        var wrapped = reader.GetFieldValue<byte[]>(1);
        return await UnwrapAsync(tenantId, version, masterId, wrapped, ct);
    }

    private async Task<byte[]> UnwrapAsync(string tenantId, int version, string masterId, byte[] wrapped, CancellationToken ct)
    {
        var key = TenantKeyWrap.Unwrap(await master.GetAsync(masterId, ct), tenantId, version, wrapped);
        return _keys.GetOrAdd((tenantId, version), key);
    }

    // The row is committed before the key is returned, so nothing is ever encrypted under a key that a crash could lose.
    private async Task<TenantKey?> TryCreateAsync(string tenantId, int version, CancellationToken ct)
    {
        var key = RandomNumberGenerator.GetBytes(TenantKey.Size);
        var current = await master.GetCurrentAsync(ct);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO tenant_keys (tenant_id, version, master_key_id, wrapped_key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = current.Id });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = TenantKeyWrap.Wrap(current, tenantId, version, key) });
        if (await command.ExecuteNonQueryAsync(ct) == 0) return null;
        var created = new TenantKey(version, _keys.GetOrAdd((tenantId, version), key));
        RememberCurrent(tenantId, created);
        return created;
    }

    private async Task<(int Version, string MasterId, byte[] Wrapped)?> ReadNewestAsync(string tenantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT version, master_key_id, wrapped_key FROM tenant_keys WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return (reader.GetInt32(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2));
    }

    private void RememberCurrent(string tenantId, TenantKey key)
    {
        var until = Environment.TickCount64 + (long)currentRefresh.TotalMilliseconds;
        // A newer version is never replaced by an older one read by a slower, concurrent lookup.
        _current.AddOrUpdate(tenantId, (key, until), (_, existing) => existing.Key.Version > key.Version ? existing : (key, until));
    }
}
