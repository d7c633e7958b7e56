namespace Mail.Grains.Interfaces.Accounts;

/// <summary>A hosted domain (keyed by the lower-case domain name): which tenant owns it.</summary>
[Alias("mail.IDomainGrain")]
public interface IDomainGrain : IGrainWithStringKey
{
    /// <summary>Claims the domain for a tenant; returns false if another tenant holds it.</summary>
    Task<bool> ClaimAsync(string tenantId);

    /// <summary>Releases the domain if the tenant holds it.</summary>
    Task ReleaseAsync(string tenantId);

    /// <summary>The domain's owner, or null when the domain is not hosted here.</summary>
    Task<DomainInfo?> GetAsync();
}

/// <summary>A hosted domain and its tenant.</summary>
[GenerateSerializer, Immutable, Alias("mail.DomainInfo")]
public sealed record DomainInfo(
    [property: Id(0)] string Domain,
    [property: Id(1)] string TenantId,
    [property: Id(2)] DateTimeOffset CreatedAt);
