using Mail.Grains.Hosting;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mail.Grains.Lifecycle;

/// <summary>
/// Deletes message content no row references any more, after a grace period, and gives the space back:
/// <list type="number">
/// <item>Released blobs: the delete of a message row (expunge, deleted folder, purged mailbox) or a queue row notes its
/// blob in <c>blob_releases</c> in the same transaction (a trigger). Once the grace period has passed since the last
/// release, one statement checks that no row references the blob (another recipient's copy of the same stored message,
/// a COPY, a queued remote recipient); an unreferenced blob is deleted from the store, then its release forgotten.</item>
/// <item>Orphans: blobs written that no row ever referenced (a failed APPEND or DATA, a crash between the blob write and
/// the commit). A sweep lists what the store wrote since the previous sweep, up to the grace period ago, and deletes
/// what no row references.</item>
/// <item>Compaction: packed segments that lost most of their bytes are rewritten (<see cref="IBlobStoreMaintenance.CompactAsync"/>).</item>
/// </list>
/// Why a blob a delivery has just committed is never deleted: a new reference to a blob is only ever made by whoever
/// holds the blob's name from its write (the delivery agent filing one stored copy for every recipient, a COPY of a row
/// that still exists), and such a holder is done within minutes; the grace period (a day by default) is far longer, and
/// the reference check runs after it, so every delivery of the blob has either committed (and is seen) or failed.
/// Keys are not needed: blobs are deleted or moved as ciphertext, and a moved packed record keeps its logical name,
/// which is what its encryption is bound to.
/// </summary>
public sealed class BlobCollector(NpgsqlDataSource dataSource, BlobReferenceStore references, IBlobStore blobs, IOptions<BlobCollectionOptions> options,
    MailClock clock, ILogger<BlobCollector> logger, IBlobStoreMaintenance? maintenance = null) : PeriodicService("Blob collection")
{
    /// <summary>Runs one pass now (unless another silo is running one); what it did.</summary>
    public async Task<BlobCollectionPass> RunOnceAsync(CancellationToken ct)
    {
        await using var held = await LifecycleLock.TryTakeAsync(dataSource, "mail.blob-collection", ct);
        if (held is null) return new BlobCollectionPass(false, 0, 0, 0);
        var settings = options.Value;
        var batch = Math.Max(1, settings.BatchSize);
        var cutoff = clock.GetUtcNow() - TimeSpan.FromMinutes(Math.Max(0, settings.GraceMinutes));
        var deleted = new List<string>();

        while (true)
        {
            var due = await references.DueAsync(cutoff, batch, ct);
            foreach (var blob in due.Where(b => !b.Referenced))
            {
                if (await DeleteAsync(blob.Tenant, blob.Name, ct)) deleted.Add(blob.Name);
            }
            await references.ForgetAsync(due.Select(b => b.Name).ToList(), cutoff, ct);
            if (due.Count < batch) break;
        }
        var released = deleted.Count;

        if (maintenance is not null && settings.SweepIntervalHours > 0)
        {
            var sweptBefore = await references.SweptBeforeAsync(ct);
            if (sweptBefore is null || cutoff - sweptBefore.Value >= TimeSpan.FromHours(settings.SweepIntervalHours))
            {
                var page = new List<string>(batch);
                await foreach (var written in maintenance.ListWrittenAsync(sweptBefore ?? DateTimeOffset.MinValue, cutoff, ct))
                {
                    page.Add(written.Name);
                    if (page.Count < batch) continue;
                    await SweepAsync(page, deleted, ct);
                    page.Clear();
                }
                await SweepAsync(page, deleted, ct);
                await references.SetSweptBeforeAsync(cutoff, ct);
            }
        }

        long reclaimed = 0;
        if (maintenance is not null && deleted.Count > 0)
        {
            var policy = new CompactionPolicy(settings.CompactBelowLiveFraction, TimeSpan.FromMinutes(Math.Max(0, settings.SegmentMinAgeMinutes)));
            reclaimed = await maintenance.CompactAsync(deleted, policy, ct);
        }
        return new BlobCollectionPass(true, released, deleted.Count - released, reclaimed);
    }

    private async Task SweepAsync(List<string> page, List<string> deleted, CancellationToken ct)
    {
        if (page.Count == 0) return;
        foreach (var name in await references.OrphansAsync(page, ct))
        {
            if (await DeleteAsync(name.Split('/')[0], name, ct)) deleted.Add(name);
        }
    }

    private async Task<bool> DeleteAsync(string tenant, string name, CancellationToken ct)
    {
        try
        {
            // Through the tenant-checking store: a name that is not a blob of that tenant is refused, never deleted.
            await blobs.DeleteAsync(tenant, new BlobRef(name, 0), ct);
            return true;
        }
        catch (ArgumentException e)
        {
            logger.LogWarning("Blob collection: {Name} is not a blob name of tenant {Tenant}, left alone: {Reason}", name, tenant, e.Message);
            return false;
        }
    }

    /// <inheritdoc />
    protected override ILogger Logger => logger;

    /// <inheritdoc />
    protected override TimeProvider Clock => clock;

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromMinutes(Math.Max(1, options.Value.IntervalMinutes));

    /// <inheritdoc />
    protected override bool Enabled => options.Value.Enabled;

    /// <inheritdoc />
    protected override async Task PassAsync(CancellationToken ct)
    {
        var pass = await RunOnceAsync(ct);
        if (pass.Released + pass.Orphans > 0)
        {
            logger.LogInformation("Blob collection: deleted {Released} released and {Orphans} orphaned blobs, compaction gave back {Bytes} bytes",
                pass.Released, pass.Orphans, pass.ReclaimedBytes);
        }
    }
}
