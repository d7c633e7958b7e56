using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Reputation;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Mail.Grains.Reputation.Webhooks;

/// <summary>Serves one tenant's webhooks (its key) from <see cref="WebhookStore"/>; holds no state, so any silo may run it.</summary>
[StatelessWorker]
public sealed class WebhookGrain(WebhookStore store, WebhookTargets targets, IOptions<WebhookOptions> options) : Grain, IWebhookGrain
{
    /// <summary>The most deliveries one page of the log returns.</summary>
    public const int MaxPageSize = 500;

    private string Tenant => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<WebhookCreated> CreateAsync(string url, IReadOnlyList<string> events)
    {
        if (targets.Refusal(url) is { } refusal) throw new MailException(MailErrorCode.Invalid, refusal);
        if (events.FirstOrDefault(e => !WebhookEvents.IsValid(e)) is { } unknown)
            throw new MailException(MailErrorCode.Invalid, $"unknown event '{unknown}'; events are {string.Join(", ", WebhookEvents.All)}.");
        var wanted = events.Count == 0 ? WebhookEvents.All : WebhookEvents.All.Where(events.Contains).ToArray();
        var secret = WebhookSignature.NewSecret();
        var max = options.Value.MaxPerTenant;
        var created = await store.CreateAsync(Tenant, url.Trim(), wanted, secret, max)
            ?? throw new MailException(MailErrorCode.Forbidden, $"A tenant may register at most {max} webhooks; delete one first.");
        return new WebhookCreated(created, secret);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookInfo>> ListAsync() => store.ListAsync(Tenant);

    /// <inheritdoc />
    public Task<WebhookInfo?> GetAsync(long id) => store.GetAsync(Tenant, id);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(long id) => store.DeleteAsync(Tenant, id);

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookDeliveryInfo>?> DeliveriesAsync(long id, long? beforeId, int limit) =>
        await store.GetAsync(Tenant, id) is null ? null : await store.DeliveriesAsync(Tenant, id, beforeId, Math.Clamp(limit, 1, MaxPageSize));
}
