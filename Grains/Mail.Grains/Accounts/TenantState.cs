namespace Mail.Grains.Accounts;

/// <summary>The persisted document of a tenant grain.</summary>
public sealed class TenantState
{
    /// <summary>Hosted domains (lower case).</summary>
    public List<string> Domains { get; set; } = [];

    /// <summary>Whether the tenant's users are locked out.</summary>
    public bool Suspended { get; set; }

    /// <summary>The tenant's DMARC reject action (<see cref="Interfaces.Accounts.DmarcRejectActions"/>); null follows the server's setting.</summary>
    public string? DmarcRejectAction { get; set; }

    /// <summary>Tenant API keys, as digests (kind <see cref="AccountSecret.ApiKey"/>).</summary>
    public List<AccountSecret> ApiKeys { get; set; } = [];
}
