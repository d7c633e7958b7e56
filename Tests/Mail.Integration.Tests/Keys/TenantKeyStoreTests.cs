using Mail.Storage.Blobs;
using Mail.Storage.Keys;

namespace Mail.Integration.Tests.Keys;

/// <summary>Tenant keys in PostgreSQL, wrapped under the master key: distinct, persistent, agreed on under a race, versioned, and loud when tampered with.</summary>
public sealed class TenantKeyStoreTests : IAsyncLifetime
{
    private KeyTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KeyTestBed.CreateAsync("tenantkeystore");

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task TenantsGetDifferentKeysThatPersistAcrossStores()
    {
        var first = await _bed.OpenAsync();
        var a = await first.GetCurrentAsync("tenant-a", CancellationToken.None);
        var b = await first.GetCurrentAsync("tenant-b", CancellationToken.None);

        var again = await (await _bed.OpenAsync()).GetCurrentAsync("tenant-a", CancellationToken.None);

        Assert.Equal(TenantKey.FirstVersion, a.Version);
        Assert.Equal(32, a.Key.Length);
        Assert.NotEqual(a.Key, b.Key);
        Assert.Equal(a.Version, again.Version);
        Assert.Equal(a.Key, again.Key);
    }

    [Fact]
    public async Task DatabaseHoldsTheKeysOnlyWrappedUnderTheMasterKey()
    {
        var key = await (await _bed.OpenAsync()).GetCurrentAsync("tenant-a", CancellationToken.None);

        var row = Assert.Single(await _bed.RowsAsync());

        Assert.Equal(("tenant-a", 1, "1"), (row.Tenant, row.Version, row.MasterKeyId));
        Assert.Equal(TenantKeyWrap.Size, row.Wrapped.Length);
        Assert.Equal(-1, row.Wrapped.AsSpan().IndexOf(key.Key.AsSpan(0, 8)));
        Assert.Equal(-1, row.Wrapped.AsSpan().IndexOf(key.Key.AsSpan(24, 8)));
    }

    [Fact]
    public async Task RacingFirstUsesAgreeOnOneKey()
    {
        const int Racers = 8;
        // Separate store instances stand in for separate processes, so only the database can decide.
        var stores = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => _bed.OpenAsync()));
        for (var round = 0; round < 10; round++)
        {
            var tenantId = $"tenant-{round}";
            using var start = new Barrier(Racers);

            var keys = await Task.WhenAll(stores.Select(store => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return store.GetCurrentAsync(tenantId, CancellationToken.None).AsTask();
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));

            Assert.All(keys, key => Assert.Equal(keys[0].Key, key.Key));
            Assert.All(keys, key => Assert.Equal(TenantKey.FirstVersion, key.Version));
        }
        Assert.Equal(10, (await _bed.RowsAsync()).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../tenant-a")]
    [InlineData("Tenant-A")]
    [InlineData("tenant a")]
    public async Task InvalidTenantIdIsRejected(string tenantId)
    {
        var store = await _bed.OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetCurrentAsync(tenantId, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RotateAsync(tenantId, CancellationToken.None));

        Assert.Empty(await _bed.RowsAsync());
    }

    [Fact]
    public async Task BlobWrittenUnderVersionOneStillReadsAfterRotatingToVersionTwoAndNewBlobsCarryVersionTwo()
    {
        var store = await _bed.OpenAsync();
        var blobs = _bed.Blobs(store);
        var old = await KeyTestBed.PutAsync(blobs, "tenant-a", "old message"u8.ToArray());

        var rotated = await store.RotateAsync("tenant-a", CancellationToken.None);
        var fresh = await KeyTestBed.PutAsync(blobs, "tenant-a", "new message"u8.ToArray());
        // Another process, which started before the rotation, picks the new version up after its refresh (0 s here).
        var otherProcess = _bed.Blobs(await _bed.OpenAsync());
        var fromOther = await KeyTestBed.PutAsync(otherProcess, "tenant-a", "from elsewhere"u8.ToArray());

        Assert.Equal(2, rotated.Version);
        Assert.NotEqual((await store.GetAsync("tenant-a", 1, CancellationToken.None)), rotated.Key);
        Assert.Equal(1, await _bed.HeaderKeyVersionAsync(old));
        Assert.Equal(2, await _bed.HeaderKeyVersionAsync(fresh));
        Assert.Equal(2, await _bed.HeaderKeyVersionAsync(fromOther));
        Assert.Equal("old message"u8.ToArray(), await KeyTestBed.ReadAsync(otherProcess, "tenant-a", old));
        Assert.Equal("new message"u8.ToArray(), await KeyTestBed.ReadAsync(otherProcess, "tenant-a", fresh));
        Assert.Equal("from elsewhere"u8.ToArray(), await KeyTestBed.ReadAsync(blobs, "tenant-a", fromOther));
        Assert.Equal([("tenant-a", 1), ("tenant-a", 2)], (await _bed.RowsAsync()).Select(r => (r.Tenant, r.Version)));
    }

    [Fact]
    public async Task TamperedWrappedKeyFailsLoudlyEverywhereItIsUsed()
    {
        var blob = await KeyTestBed.PutAsync(_bed.Blobs(await _bed.OpenAsync()), "tenant-a", "secret"u8.ToArray());

        await _bed.ExecuteAsync("UPDATE tenant_keys SET wrapped_key = set_byte(wrapped_key, 40, get_byte(wrapped_key, 40) # 1)");

        // At start: the host's check unwraps a key of every master key version in use, and refuses.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(_bed.OpenAsync);
        Assert.Contains("does not unwrap", refused.Message);
        // In a process already running: the key is unwrapped when first needed, and the read fails with why.
        var running = new PostgresTenantKeyStore(Mail.Storage.Postgres.MailDataSource.Create(_bed.Database.ConnectionString),
            new FileMasterKeyProvider(_bed.MasterKeyFile), TimeSpan.Zero);
        var error = await Assert.ThrowsAsync<TenantKeyUnwrapException>(() => KeyTestBed.ReadAsync(_bed.Blobs(running), "tenant-a", blob));
        Assert.Contains("tenant-a", error.Message);
        Assert.Contains("authentication failed", error.Message);
        await Assert.ThrowsAsync<TenantKeyUnwrapException>(async () => await running.GetCurrentAsync("tenant-a", CancellationToken.None));
    }

    [Fact]
    public async Task WrappedKeyCopiedToAnotherTenantDoesNotUnwrap()
    {
        var store = await _bed.OpenAsync();
        await store.GetCurrentAsync("tenant-a", CancellationToken.None);
        var victim = await KeyTestBed.PutAsync(_bed.Blobs(store), "tenant-b", "b's mail"u8.ToArray());

        // Someone with write access to the database gives tenant b the wrapped key of tenant a, whose key they know.
        await _bed.ExecuteAsync(
            "UPDATE tenant_keys SET wrapped_key = (SELECT wrapped_key FROM tenant_keys WHERE tenant_id = 'tenant-a') WHERE tenant_id = 'tenant-b'");
        var running = new PostgresTenantKeyStore(Mail.Storage.Postgres.MailDataSource.Create(_bed.Database.ConnectionString),
            new FileMasterKeyProvider(_bed.MasterKeyFile), TimeSpan.Zero);

        await Assert.ThrowsAsync<TenantKeyUnwrapException>(async () => await running.GetCurrentAsync("tenant-b", CancellationToken.None));
        await Assert.ThrowsAsync<TenantKeyUnwrapException>(() => KeyTestBed.ReadAsync(_bed.Blobs(running), "tenant-b", victim));
    }

    [Fact]
    public async Task BlobNamingAKeyVersionItsTenantDoesNotHaveIsCorrupt()
    {
        var store = await _bed.OpenAsync();
        var blob = await KeyTestBed.PutAsync(_bed.Blobs(store), "tenant-a", "x"u8.ToArray());
        await _bed.ExecuteAsync("DELETE FROM tenant_keys");

        var restarted = _bed.Blobs(await _bed.OpenAsync());

        var error = await Assert.ThrowsAsync<BlobCorruptException>(() => KeyTestBed.ReadAsync(restarted, "tenant-a", blob));

        Assert.Contains("key version 1", error.Message);
    }
}
