using Mail.Grains.Interfaces.Accounts;
using Orleans.Concurrency;

namespace Mail.Grains.Accounts;

/// <summary>Serves operator listings from the directory tables; stateless, so it runs wherever it is called.</summary>
[StatelessWorker]
public sealed class DirectoryGrain(DirectoryTable directory) : Grain, IDirectoryGrain
{
    /// <inheritdoc />
    public Task<IReadOnlyList<DomainInfo>> ListDomainsAsync() => directory.ListDomainsAsync();

    /// <inheritdoc />
    public Task<AccountPage> ListAccountsAsync(string? domain, int offset, int limit) =>
        directory.ListAccountsAsync(domain, Math.Max(0, offset), Math.Clamp(limit, 1, 1000));
}
