using System.Security.Cryptography;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mail.Storage.Keys;

/// <summary>
/// Moves the plaintext per-tenant key files of earlier releases (&lt;tenant&gt;.key, 32 bytes, 0600) into tenant_keys as
/// version 0, wrapped under the current master key, at start. Blobs and DKIM keys written before key versions existed
/// name none and are read under version 0, so they stay readable. New data goes under a fresh version 1, since the old
/// key lay on disk in the clear (and may be in backups). A file is deleted only after its row is committed and unwraps
/// to the same key; a row that holds another key stops the start (data under the file's key would be lost).
/// </summary>
public sealed class LegacyTenantKeyImport(NpgsqlDataSource dataSource, IMasterKeyProvider master, ILogger logger)
{
    /// <summary>Imports every key file in <paramref name="directory"/> (nothing to do when it does not exist); returns how many were imported.</summary>
    public async Task<int> ImportAsync(string directory, CancellationToken ct)
    {
        if (!Directory.Exists(directory)) return 0;
        var imported = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "*.key").Order(StringComparer.Ordinal))
        {
            var tenantId = Path.GetFileNameWithoutExtension(path);
            TenantIdFormat.Validate(tenantId);
            var key = SecretFile.ReadChecked(path, TenantKey.Size, "the legacy tenant key file");
            if (key.Length != TenantKey.Size)
                throw new InvalidOperationException($"The legacy tenant key file '{path}' holds {key.Length} bytes, expected {TenantKey.Size}.");
            var current = await master.GetCurrentAsync(ct);
            await InsertAsync(tenantId, TenantKey.LegacyVersion, current, key, ct);
            var stored = await ReadAsync(tenantId, ct);
            if (!stored.AsSpan().SequenceEqual(key))
            {
                throw new InvalidOperationException(
                    $"Tenant '{tenantId}' already has a key version {TenantKey.LegacyVersion} in tenant_keys that differs from '{path}': " +
                    "blobs written under that file's key would become unreadable, so the file is kept and the start refused.");
            }
            await InsertAsync(tenantId, TenantKey.FirstVersion, current, RandomNumberGenerator.GetBytes(TenantKey.Size), ct);
            File.Delete(path);
            imported++;
        }
        if (imported > 0)
        {
            DirectorySync.Flush(directory);
            logger.LogInformation("Imported {Count} legacy tenant key files from {Directory} as key version 0 (new data under a fresh version 1), wrapped under the master key, and deleted them",
                imported, directory);
        }
        if (!Directory.EnumerateFileSystemEntries(directory).Any()) Directory.Delete(directory);
        return imported;
    }

    private async Task InsertAsync(string tenantId, int version, MasterKey current, byte[] key, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO tenant_keys (tenant_id, version, master_key_id, wrapped_key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = current.Id });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = TenantKeyWrap.Wrap(current, tenantId, version, key) });
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<byte[]> ReadAsync(string tenantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT master_key_id, wrapped_key FROM tenant_keys WHERE tenant_id = $1 AND version = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = TenantKey.LegacyVersion });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) throw new TenantKeyNotFoundException(tenantId, TenantKey.LegacyVersion);
        var masterId = reader.GetString(0);
        var wrapped = reader.GetFieldValue<byte[]>(1);
        return TenantKeyWrap.Unwrap(await master.GetAsync(masterId, ct), tenantId, TenantKey.LegacyVersion, wrapped);
    }
}
