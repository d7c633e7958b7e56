using Mail.Storage.Blobs;
using Mail.Storage.Keys;
using Npgsql;

namespace Mail.Integration.Tests.Keys;

/// <summary>One database, one data directory (master key file, legacy key files) and one filesystem blob store, as a host has them.</summary>
public sealed class KeyTestBed : IAsyncDisposable
{
    private readonly TempDirectory _dataDir = new();

    private KeyTestBed(TestDatabase database)
    {
        Database = database;
        Raw = new FileSystemBlobStore(Path.Combine(_dataDir.Path, "blobs"), packedBlobMaxBytes: 0);
    }

    /// <summary>The database holding tenant_keys.</summary>
    public TestDatabase Database { get; }

    /// <summary>The data directory.</summary>
    public string DataDir => _dataDir.Path;

    /// <summary>The master key file.</summary>
    public string MasterKeyFile => Path.Combine(DataDir, TenantKeyStoreFactory.DefaultMasterKeyFile);

    /// <summary>Where the per-tenant key files of earlier releases are imported from.</summary>
    public string LegacyKeyDirectory => Path.Combine(DataDir, "keys");

    /// <summary>The raw blob store under the data directory.</summary>
    public IRawBlobStore Raw { get; }

    /// <summary>A fresh database; the master key file is not made yet (see <see cref="OpenAsync"/>).</summary>
    public static async Task<KeyTestBed> CreateAsync(string name) => new(await TestDatabase.CreateAsync(name));

    /// <summary>
    /// A tenant key store opened as a host opens it at start (master key file checked and created here if missing,
    /// legacy key files imported, versions in use proven), with no caching of the current version, as a process
    /// that started after everything before it.
    /// </summary>
    public Task<PostgresTenantKeyStore> OpenAsync() => TestKeys.OpenStoreAsync(Database.ConnectionString, DataDir, currentKeyRefreshSeconds: 0);

    /// <summary>The encrypted blob store over <paramref name="keys"/>.</summary>
    public EncryptedBlobStore Blobs(ITenantKeyStore keys) => new(Raw, keys);

    /// <summary>The master key rotation on this database and key file.</summary>
    public MasterKeyRotation Rotation() => new(Mail.Storage.Postgres.MailDataSource.Create(Database.ConnectionString), new FileMasterKeyProvider(MasterKeyFile));

    /// <summary>Rows of tenant_keys: tenant, version, master key version, wrapped bytes, ordered.</summary>
    public async Task<List<(string Tenant, int Version, string MasterKeyId, byte[] Wrapped)>> RowsAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT tenant_id, version, master_key_id, wrapped_key FROM tenant_keys ORDER BY tenant_id, version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, int, string, byte[])>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3)));
        return rows;
    }

    /// <summary>Runs a statement on the database (to tamper with rows as an attacker with database access would).</summary>
    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stores <paramref name="content"/> for <paramref name="tenant"/>.</summary>
    public static Task<BlobRef> PutAsync(IBlobStore blobs, string tenant, byte[] content) =>
        blobs.PutAsync(tenant, new MemoryStream(content), CancellationToken.None);

    /// <summary>Reads a blob back whole.</summary>
    public static async Task<byte[]> ReadAsync(IBlobStore blobs, string tenant, BlobRef blob)
    {
        await using var stream = await blobs.OpenReadAsync(tenant, blob, CancellationToken.None);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>The key version a stored blob's header names.</summary>
    public async Task<int> HeaderKeyVersionAsync(BlobRef blob)
    {
        await using var stream = await Raw.OpenReadAsync(blob.Name, CancellationToken.None) ?? throw new InvalidOperationException("missing");
        var header = new byte[13];
        await stream.ReadExactlyAsync(header);
        Assert.Equal(2, header[4]);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(9));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        _dataDir.Dispose();
    }
}
