namespace Mail.Grains.Interfaces.Outbound;

/// <summary>
/// One destination site (the MX host set of a recipient domain, or the smarthost): owns the open connections
/// to it, their concurrency and reuse, and the site's backoff. Keyed by the site key the scheduler derives
/// from the MX lookup, so every domain a provider hosts shares one grain.
/// </summary>
[Alias("mail.IDestinationGrain")]
public interface IDestinationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes leased jobs for delivery; returns how many of them (a prefix) it accepted. The rest are over the
    /// site's queue bound: the scheduler hands them back to the queue without spending an attempt.
    /// </summary>
    Task<int> EnqueueAsync(IReadOnlyList<OutboundJob> jobs);

    /// <summary>The site's connections, queue length and backoff, for operators.</summary>
    Task<DestinationStatus> GetStatusAsync();
}

/// <summary>What a destination is doing now.</summary>
[GenerateSerializer, Immutable, Alias("mail.DestinationStatus")]
public sealed record DestinationStatus(
    [property: Id(0)] string Site,
    [property: Id(1)] int OpenConnections,
    [property: Id(2)] int Queued,
    [property: Id(3)] DateTimeOffset? SuspendedUntil,
    [property: Id(4)] string? SuspendedReason,
    [property: Id(5)] long Delivered,
    [property: Id(6)] long Deferred,
    [property: Id(7)] long Failed);
