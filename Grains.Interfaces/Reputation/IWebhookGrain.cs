namespace Mail.Grains.Interfaces.Reputation;

/// <summary>A tenant's webhooks (keyed by tenant id): registration and the delivery log. It touches no other tenant's rows.</summary>
[Alias("mail.IWebhookGrain")]
public interface IWebhookGrain : IGrainWithStringKey
{
    /// <summary>Registers an endpoint for <paramref name="events"/> (all when empty); MailException Invalid for a refused URL or event.</summary>
    Task<WebhookCreated> CreateAsync(string url, IReadOnlyList<string> events);

    /// <summary>The tenant's endpoints, oldest first.</summary>
    Task<IReadOnlyList<WebhookInfo>> ListAsync();

    /// <summary>One endpoint, or null when the tenant has none with that id.</summary>
    Task<WebhookInfo?> GetAsync(long id);

    /// <summary>Removes an endpoint with its pending deliveries and log; false when the tenant has none with that id.</summary>
    Task<bool> DeleteAsync(long id);

    /// <summary>An endpoint's deliveries, newest first, before <paramref name="beforeId"/>; null when the tenant has no such endpoint.</summary>
    Task<IReadOnlyList<WebhookDeliveryInfo>?> DeliveriesAsync(long id, long? beforeId, int limit);
}
