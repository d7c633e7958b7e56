using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Reputation;
using Orleans.Concurrency;

namespace Mail.Grains.Reputation.Suppression;

/// <summary>Serves one tenant's suppression list (its key) from <see cref="SuppressionStore"/>; holds no state, so any silo may run it.</summary>
[StatelessWorker]
public sealed class SuppressionListGrain(SuppressionStore store) : Grain, ISuppressionListGrain
{
    /// <summary>The most entries one page returns.</summary>
    public const int MaxPageSize = 1000;

    private string Tenant => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<SuppressionEntry> AddAsync(string address, string reason, DateTimeOffset? expiresAt, string? detail)
    {
        try
        {
            await store.AddAsync(Tenant, address, reason, expiresAt, detail);
        }
        catch (ArgumentException e)
        {
            throw new MailException(MailErrorCode.Invalid, e.Message);
        }
        return await store.GetAsync(Tenant, address)
            ?? throw new MailException(MailErrorCode.Invalid, "expires_at must be in the future.");
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string address) => store.RemoveAsync(Tenant, address);

    /// <inheritdoc />
    public Task<SuppressionEntry?> GetAsync(string address) => store.GetAsync(Tenant, address);

    /// <inheritdoc />
    public Task<SuppressionPage> ListAsync(string? after, int limit, string? reason) =>
        store.ListAsync(Tenant, after, Math.Clamp(limit, 1, MaxPageSize), reason);
}
