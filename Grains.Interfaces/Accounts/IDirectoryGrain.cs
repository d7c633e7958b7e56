namespace Mail.Grains.Interfaces.Accounts;

/// <summary>Read-only listings of domains and accounts for operators (a stateless worker over the directory tables).</summary>
[Alias("mail.IDirectoryGrain")]
public interface IDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>All hosted domains, ordered by name.</summary>
    Task<IReadOnlyList<DomainInfo>> ListDomainsAsync();

    /// <summary>Accounts, optionally of one domain, ordered by address, paged.</summary>
    Task<AccountPage> ListAccountsAsync(string? domain, int offset, int limit);
}

/// <summary>One page of accounts.</summary>
[GenerateSerializer, Immutable, Alias("mail.AccountPage")]
public sealed record AccountPage(
    [property: Id(0)] IReadOnlyList<AccountInfo> Items,
    [property: Id(1)] long Total);
