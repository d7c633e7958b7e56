using Azure.Storage.Blobs;
using Mail.Grains.Lifecycle;
using Mail.Storage.Blobs;
using MailKit;
using MailKit.Search;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Mail.Integration.Tests.Lifecycle;

/// <summary>
/// Blobs of expunged messages and orphans deleted by the collector, and the space they took given back, on each blob
/// store. A blob stored once for two recipients stays until neither references it.
/// </summary>
public abstract class BlobCollectionBehaviour<TFixture>(TFixture host) where TFixture : LifecycleHostFixture
{
    /// <summary>The host under test.</summary>
    protected TFixture Host => host;

    /// <summary>Bytes the store holds now (files on disk, or blobs in the container).</summary>
    protected abstract Task<long> StoredBytesAsync();

    private Task<BlobCollectionPass> CollectAsync() => host.Services.GetRequiredService<BlobCollector>().RunOnceAsync(CancellationToken.None);

    [Fact]
    public async Task ExpungeAndCollectionGiveTheSpaceBackOnceNoRecipientReferencesTheBlob()
    {
        var (alice, aliceApi) = await ApiUsers.CreateAsync(host);
        var (bob, bobApi) = await ApiUsers.CreateAsync(host);
        using var _ = aliceApi;
        using var __ = bobApi;
        // Each message is stored once and filed for both: small ones packed into segments, large ones in their own blobs.
        var small = await LifecycleMail.SendAsync(host, [alice, bob], 30, 8_000, "small");
        var large = await LifecycleMail.SendAsync(host, [alice, bob], 2, 400_000, "large");
        // A restart seals the segments the writers had open (as every segment is once idle long enough).
        await host.RestartAsync();
        var before = await StoredBytesAsync();

        await ExpungeAsync(alice, keep: 0);
        var first = await CollectAsync();
        Assert.Equal(0, first.Released);
        Assert.Equal(before, await StoredBytesAsync());

        await ExpungeAsync(bob, keep: 3);
        var second = await CollectAsync();
        Assert.Equal(29, second.Released);
        var after = await StoredBytesAsync();
        var freed = small.Skip(3).Sum() + large.Sum();
        Assert.True(before - after >= freed * 9 / 10, $"{before - after} bytes given back of the {freed} bytes expunged");

        // What is left reads back whole, through IMAP, under the names its rows hold.
        using var client = await LifecycleMail.ImapAsync(host, bob);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(3, client.Inbox.Count);
        for (var i = 0; i < 3; i++)
        {
            var message = await client.Inbox.GetMessageAsync(i);
            Assert.Equal(LifecycleMail.Message([alice, bob], $"small {i}", 8_000, i).TextBody!.TrimEnd(), message.TextBody!.TrimEnd());
        }
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task AnOrphanIsSweptAndABlobAMessageReferencesIsNot()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        using var _ = api;
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        // What a failed APPEND or DATA leaves: a blob no row ever references.
        var orphan = await blobs.PutAsync("example.test", new MemoryStream(new byte[5_000]), CancellationToken.None);
        await LifecycleMail.SendAsync(host, [address], 1, 5_000, "referenced");
        await using (var db = new NpgsqlConnection(host.Database.ConnectionString))
        {
            await db.OpenAsync();
            // As if the previous sweep were long ago.
            await using var reset = new NpgsqlCommand("DELETE FROM blob_sweeps", db);
            await reset.ExecuteNonQueryAsync();
        }

        var pass = await CollectAsync();

        Assert.True(pass.Orphans >= 1);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => blobs.OpenReadAsync("example.test", orphan, CancellationToken.None));
        var items = await ApiUsers.ListAsync(api);
        var id = Assert.Single(items).GetProperty("id").GetString();
        Assert.Contains("Subject: referenced 0", await api.GetStringAsync($"/v1/emails/{id}/raw"));
    }

    private async Task ExpungeAsync(string address, int keep)
    {
        using var client = await LifecycleMail.ImapAsync(host, address);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var uids = await client.Inbox.SearchAsync(SearchQuery.All);
        await client.Inbox.AddFlagsAsync(uids.Skip(keep).ToList(), MessageFlags.Deleted, silent: true);
        await client.Inbox.ExpungeAsync();
        await client.DisconnectAsync(true);
    }
}

/// <summary>On the filesystem store: files deleted, packed segments compacted; space measured by the files' sizes.</summary>
public sealed class FileSystemBlobCollectionTests(LifecycleHostFixture host) : BlobCollectionBehaviour<LifecycleHostFixture>(host), IClassFixture<LifecycleHostFixture>
{
    /// <inheritdoc />
    protected override Task<long> StoredBytesAsync() => Task.FromResult(
        new DirectoryInfo(Path.Combine(Host.DataDir, "blobs")).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length));
}

/// <summary>On Azure Blob Storage (Azurite): blobs deleted; space measured by the container's blob sizes.</summary>
public sealed class AzureBlobCollectionTests(AzureLifecycleHostFixture host) : BlobCollectionBehaviour<AzureLifecycleHostFixture>(host), IClassFixture<AzureLifecycleHostFixture>
{
    /// <inheritdoc />
    protected override async Task<long> StoredBytesAsync()
    {
        var container = new BlobContainerClient(AzureLifecycleHostFixture.AzuriteConnectionString, Host.Container);
        long total = 0;
        await foreach (var blob in container.GetBlobsAsync()) total += blob.Properties.ContentLength ?? 0;
        Assert.False(Directory.Exists(Path.Combine(Host.DataDir, "blobs")), "the filesystem store should not be used");
        return total;
    }
}
