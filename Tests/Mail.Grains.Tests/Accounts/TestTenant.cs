using Mail.Grains.Interfaces.Accounts;

namespace Mail.Grains.Tests.Accounts;

/// <summary>
/// A fresh tenant with one hosted domain. Every test makes its own, because the collection shares
/// one database and one cluster: fixed names would collide between tests.
/// </summary>
public sealed class TestTenant
{
    /// <summary>The password accounts get unless a test gives one.</summary>
    public const string Password = "password-123";

    private readonly IGrainFactory _grains;

    private TestTenant(IGrainFactory grains, string tenantId, string domain)
    {
        _grains = grains;
        TenantId = tenantId;
        Domain = domain;
    }

    /// <summary>The tenant id (lowercase letters, digits and '-', as blob tenant ids must be).</summary>
    public string TenantId { get; }

    /// <summary>The hosted domain.</summary>
    public string Domain { get; }

    /// <summary>The tenant grain.</summary>
    public ITenantGrain Grain => _grains.GetGrain<ITenantGrain>(TenantId);

    /// <summary>Creates a tenant and registers a fresh domain for it.</summary>
    public static async Task<TestTenant> CreateAsync(IGrainFactory grains)
    {
        var tenant = new TestTenant(grains, $"t-{Guid.NewGuid():N}", FreshDomain());
        await tenant.Grain.AddDomainAsync(tenant.Domain);
        return tenant;
    }

    /// <summary>A domain name nobody hosts.</summary>
    public static string FreshDomain() => $"d{Guid.NewGuid():N}.test";

    /// <summary>An address on this tenant's domain.</summary>
    public string Address(string localPart) => $"{localPart}@{Domain}";

    /// <summary>Creates an account on this tenant's domain.</summary>
    public Task<AccountInfo> CreateAccountAsync(string localPart, long? quotaBytes = null, string password = Password) =>
        Grain.CreateAccountAsync(new NewAccount(Address(localPart), password, quotaBytes));
}
