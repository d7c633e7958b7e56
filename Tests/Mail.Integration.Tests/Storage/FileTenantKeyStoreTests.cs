using Mail.Storage.Blobs;

namespace Mail.Integration.Tests.Storage;

/// <summary>Per-tenant key files: distinct, persistent, owner-only, created once even under a race.</summary>
public sealed class FileTenantKeyStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task TwoTenantsGetDifferentKeys()
    {
        var store = new FileTenantKeyStore(_directory.Path);

        var a = await store.GetKeyAsync("tenant-a", CancellationToken.None);
        var b = await store.GetKeyAsync("tenant-b", CancellationToken.None);

        Assert.Equal(32, a.Length);
        Assert.Equal(32, b.Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task KeysPersistAcrossStoreInstances()
    {
        var first = await new FileTenantKeyStore(_directory.Path).GetKeyAsync("tenant-a", CancellationToken.None);

        var second = await new FileTenantKeyStore(_directory.Path).GetKeyAsync("tenant-a", CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(first, await File.ReadAllBytesAsync(Path.Combine(_directory.Path, "tenant-a.key")));
    }

    [Fact]
    public async Task KeyFileIsReadableOnlyByItsOwner()
    {
        // Windows has no mode bits; its ACLs are the key directory's deployment concern.
        if (OperatingSystem.IsWindows()) return;
        await new FileTenantKeyStore(_directory.Path).GetKeyAsync("tenant-a", CancellationToken.None);

        var mode = File.GetUnixFileMode(Path.Combine(_directory.Path, "tenant-a.key"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task RacingFirstUsesAgreeOnOneKey()
    {
        const int Racers = 8;
        // Separate instances stand in for separate processes, so only the file can decide; the
        // barrier releases all of them at once so several really do try to create the same key.
        for (var round = 0; round < 20; round++)
        {
            var tenantId = $"tenant-{round}";
            var stores = Enumerable.Range(0, Racers).Select(_ => new FileTenantKeyStore(_directory.Path)).ToArray();
            using var start = new Barrier(Racers);

            var keys = await Task.WhenAll(stores.Select(store => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return store.GetKeyAsync(tenantId, CancellationToken.None).AsTask();
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));

            Assert.All(keys, key => Assert.Equal(keys[0], key));
            Assert.Equal(keys[0], await File.ReadAllBytesAsync(Path.Combine(_directory.Path, tenantId + ".key")));
        }
        Assert.DoesNotContain(Directory.GetFiles(_directory.Path), path => path.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DamagedKeyFileIsReportedNotReplaced()
    {
        var path = Path.Combine(_directory.Path, "tenant-a.key");
        await File.WriteAllBytesAsync(path, [1, 2, 3]);

        await Assert.ThrowsAsync<InvalidDataException>(async () =>
            await new FileTenantKeyStore(_directory.Path).GetKeyAsync("tenant-a", CancellationToken.None));

        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../tenant-a")]
    [InlineData("Tenant-A")]
    [InlineData("tenant a")]
    public async Task InvalidTenantIdIsRejected(string tenantId)
    {
        var store = new FileTenantKeyStore(_directory.Path);

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetKeyAsync(tenantId, CancellationToken.None));

        Assert.Empty(Directory.GetFiles(_directory.Path));
    }

    public void Dispose() => _directory.Dispose();
}
