using Mail.Storage.Blobs;
using Mail.Storage.Keys;
using Mail.Silo;

namespace Mail.Integration.Tests.Keys;

/// <summary>Rotating the master key re-wraps every tenant key in the database, without rewriting any blob, through the library and the silo's verbs.</summary>
// Owner-only file modes are what these tests attack; Windows has ACLs instead.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MasterKeyRotationTests : IAsyncLifetime
{
    private static readonly string[] Tenants = ["tenant-a", "tenant-b", "tenant-c"];
    private KeyTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KeyTestBed.CreateAsync("masterrotation");

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task RotationRewrapsEveryTenantKeyAndEverythingStillDecrypts()
    {
        var store = await _bed.OpenAsync();
        var blobs = _bed.Blobs(store);
        await store.GetCurrentAsync("tenant-b", CancellationToken.None);
        await store.RotateAsync("tenant-b", CancellationToken.None);
        var written = new List<(string Tenant, BlobRef Blob, byte[] Content)>();
        foreach (var tenant in Tenants)
        {
            var content = System.Text.Encoding.ASCII.GetBytes($"mail of {tenant}");
            written.Add((tenant, await KeyTestBed.PutAsync(blobs, tenant, content), content));
        }
        var before = await _bed.RowsAsync();

        var result = await _bed.Rotation().RotateAsync(CancellationToken.None);

        var after = await _bed.RowsAsync();
        Assert.Equal(new RewrapResult("2", 4, 0), result);
        Assert.All(before, row => Assert.Equal("1", row.MasterKeyId));
        Assert.Equal(before.Select(r => (r.Tenant, r.Version)), after.Select(r => (r.Tenant, r.Version)));
        Assert.All(after, row => Assert.Equal("2", row.MasterKeyId));
        Assert.All(before.Zip(after), pair => Assert.NotEqual(pair.First.Wrapped, pair.Second.Wrapped));
        Assert.Equal(2, File.ReadAllLines(_bed.MasterKeyFile).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_bed.MasterKeyFile));

        // Nothing needs version 1 any more: with it removed from the file, a fresh start reads every blob.
        File.WriteAllLines(_bed.MasterKeyFile, File.ReadAllLines(_bed.MasterKeyFile).Where(line => !line.StartsWith("1:", StringComparison.Ordinal)));
        var restarted = _bed.Blobs(await _bed.OpenAsync());
        foreach (var (tenant, blob, content) in written) Assert.Equal(content, await KeyTestBed.ReadAsync(restarted, tenant, blob));
        // The process that was running throughout still reads them too (its tenant keys never changed).
        foreach (var (tenant, blob, content) in written) Assert.Equal(content, await KeyTestBed.ReadAsync(blobs, tenant, blob));
        // And a tenant that appears now is wrapped under the new version.
        await (await _bed.OpenAsync()).GetCurrentAsync("tenant-d", CancellationToken.None);
        Assert.Equal("2", (await _bed.RowsAsync()).Single(r => r.Tenant == "tenant-d").MasterKeyId);
    }

    [Fact]
    public async Task RewrapMovesKeysToAVersionAddedByHand()
    {
        var store = await _bed.OpenAsync();
        var blob = await KeyTestBed.PutAsync(_bed.Blobs(store), "tenant-a", "hello"u8.ToArray());
        File.AppendAllText(_bed.MasterKeyFile, MasterKeyFile.NewLine(7));

        var result = await _bed.Rotation().RewrapAsync(CancellationToken.None);

        Assert.Equal(new RewrapResult("7", 1, 0), result);
        Assert.Equal("7", Assert.Single(await _bed.RowsAsync()).MasterKeyId);
        Assert.Equal("hello"u8.ToArray(), await KeyTestBed.ReadAsync(_bed.Blobs(await _bed.OpenAsync()), "tenant-a", blob));
    }

    [Fact]
    public async Task RotationStopsLoudlyAtATamperedKey()
    {
        var store = await _bed.OpenAsync();
        foreach (var tenant in Tenants) await store.GetCurrentAsync(tenant, CancellationToken.None);
        await _bed.ExecuteAsync("UPDATE tenant_keys SET wrapped_key = set_byte(wrapped_key, 50, get_byte(wrapped_key, 50) # 128) WHERE tenant_id = 'tenant-b'");

        var error = await Assert.ThrowsAsync<TenantKeyUnwrapException>(() => _bed.Rotation().RotateAsync(CancellationToken.None));

        Assert.Equal("tenant-b", error.TenantId);
        // The page it was in is rolled back whole: no key is left half-way.
        Assert.All(await _bed.RowsAsync(), row => Assert.Equal("1", row.MasterKeyId));
    }

    [Fact]
    public async Task SiloVerbRotatesTheMasterKeyAndTenantKeys()
    {
        var blobs = _bed.Blobs(await _bed.OpenAsync());
        var blob = await KeyTestBed.PutAsync(blobs, "tenant-a", "through the verb"u8.ToArray());
        var overrides = new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = _bed.DataDir,
            ["Mail:Database"] = _bed.Database.ConnectionString,
        };
        var output = new StringWriter();
        var error = new StringWriter();
        var before = Assert.Single(await _bed.RowsAsync());

        var master = await KeyCommand.RunAsync([KeyCommand.RotateMasterKey], output, error, overrides);
        var tenant = await KeyCommand.RunAsync([KeyCommand.RotateTenantKey, "tenant-a"], output, error, overrides);

        Assert.Equal((0, 0), (master, tenant));
        Assert.Contains("added master key version 2: 1 tenant keys re-wrapped, 0 under other versions", output.ToString());
        Assert.Contains("tenant tenant-a: new key version 2", output.ToString());
        Assert.Equal("", error.ToString());
        var rows = await _bed.RowsAsync();
        Assert.Equal([("tenant-a", 1, "2"), ("tenant-a", 2, "2")], rows.Select(r => (r.Tenant, r.Version, r.MasterKeyId)));
        Assert.NotEqual(before.Wrapped, rows[0].Wrapped);
        var restarted = _bed.Blobs(await _bed.OpenAsync());
        Assert.Equal("through the verb"u8.ToArray(), await KeyTestBed.ReadAsync(restarted, "tenant-a", blob));
        Assert.Equal(2, await _bed.HeaderKeyVersionAsync(await KeyTestBed.PutAsync(restarted, "tenant-a", "x"u8.ToArray())));
    }

    [Fact]
    public async Task SiloVerbWithoutAMasterKeySaysWhatToDoAndChangesNothing()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var missing = await KeyCommand.RunAsync([KeyCommand.RotateMasterKey], output, error, new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = _bed.DataDir,
            ["Mail:Database"] = _bed.Database.ConnectionString,
        });
        var usage = await KeyCommand.RunAsync([KeyCommand.RotateTenantKey], output, error);

        Assert.Equal((1, 2), (missing, usage));
        Assert.Contains($"The master key file '{_bed.MasterKeyFile}' does not exist", error.ToString());
        Assert.Contains("usage:", error.ToString());
        Assert.False(File.Exists(_bed.MasterKeyFile));
        Assert.Empty(await _bed.RowsAsync());
    }
}
