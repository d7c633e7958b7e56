namespace Mail.Grains.Reputation;

/// <summary>
/// Where the rest of the silo reports what happened to mail after it left, so it counts against the tenant, sending
/// domain, source IP and provider that sent it: complaints (ARF reports) and asynchronous bounces. The attribution is
/// on the message's queue row (tenant_id, sending_domain, source_ip, provider), found by its VERP token.
/// Reporting is cheap (counted in memory, written within a second); without reputation configured it is ignored.
/// </summary>
public interface IReputationEvents
{
    /// <summary>Counts <paramref name="e"/>.</summary>
    Task RecordAsync(ReputationEvent e);
}

/// <summary>Something that happened to <see cref="Count"/> messages, and whose they were (any part may be unknown: null).</summary>
public sealed record ReputationEvent(
    ReputationEventKind Kind,
    string? Tenant,
    string? SendingDomain,
    string? SourceIp,
    string? Provider,
    int Count = 1);

/// <summary>What happened.</summary>
public enum ReputationEventKind
{
    /// <summary>A recipient's provider reported a complaint (ARF, RFC 5965).</summary>
    Complaint,
    /// <summary>A permanent failure reported after the message had left (a 5.x.x asynchronous bounce).</summary>
    HardBounce,
    /// <summary>A temporary failure reported after the message had left (a 4.x.x asynchronous bounce).</summary>
    SoftBounce,
    /// <summary>A delivery attempt made.</summary>
    Sent,
    /// <summary>A remote server accepted a message.</summary>
    Delivered,
    /// <summary>A remote server deferred a message.</summary>
    Deferred,
}
