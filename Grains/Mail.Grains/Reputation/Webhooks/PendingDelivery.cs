namespace Mail.Grains.Reputation.Webhooks;

/// <summary>A leased webhook delivery: the event and the endpoint it goes to; <c>Secret</c> is null when the endpoint's sealed secret did not open.</summary>
public sealed record PendingDelivery(
    long Id,
    string TenantId,
    string Event,
    string DataJson,
    DateTimeOffset CreatedAt,
    int Attempts,
    string Url,
    string? Secret);

/// <summary>What one POST of a delivery did; <paramref name="NextAttemptAt"/> null means it is finished (delivered or given up).</summary>
public sealed record DeliveryResult(
    long Id,
    bool Delivered,
    DateTimeOffset AttemptedAt,
    int? StatusCode,
    string? Error,
    int DurationMs,
    DateTimeOffset? NextAttemptAt);
