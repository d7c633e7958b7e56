namespace Mail.Grains.Interfaces.Reputation;

/// <summary>A registered webhook endpoint (its secret is shown only when created).</summary>
[GenerateSerializer, Immutable, Alias("mail.WebhookInfo")]
public sealed record WebhookInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> Events,
    [property: Id(3)] DateTimeOffset CreatedAt);

/// <summary>A webhook just registered, with the secret its requests are signed with.</summary>
[GenerateSerializer, Immutable, Alias("mail.WebhookCreated")]
public sealed record WebhookCreated(
    [property: Id(0)] WebhookInfo Webhook,
    [property: Id(1)] string Secret);

/// <summary>One event sent (or being sent) to a webhook, with every attempt made.</summary>
/// <param name="Status">pending, delivered or failed (gave up after the retry period).</param>
[GenerateSerializer, Immutable, Alias("mail.WebhookDeliveryInfo")]
public sealed record WebhookDeliveryInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] string Event,
    [property: Id(2)] string Status,
    [property: Id(3)] int Attempts,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? NextAttemptAt,
    [property: Id(6)] DateTimeOffset? FinishedAt,
    [property: Id(7)] int? LastStatus,
    [property: Id(8)] string? LastError,
    [property: Id(9)] IReadOnlyList<WebhookAttemptInfo> Log);

/// <summary>One POST of a delivery: when, the endpoint's status code or the error, and how long it took.</summary>
[GenerateSerializer, Immutable, Alias("mail.WebhookAttemptInfo")]
public sealed record WebhookAttemptInfo(
    [property: Id(0)] int Attempt,
    [property: Id(1)] DateTimeOffset AttemptedAt,
    [property: Id(2)] int? StatusCode,
    [property: Id(3)] string? Error,
    [property: Id(4)] int DurationMs);
