namespace Mail.Grains.Reputation.Bulk;

/// <summary>A job a runner leased: what its messages are made of, and the lease token (its lease_until) it holds it by.</summary>
public sealed record BulkJob(
    Guid Id,
    string TenantId,
    string Class,
    string FromAddress,
    string FromName,
    string Subject,
    string? Text,
    string? Html,
    DateTimeOffset LeaseToken);
