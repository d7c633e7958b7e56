namespace Mail.Grains.Accounts;

/// <summary>The persisted document of an address grain.</summary>
public sealed class AddressState
{
    /// <summary>Account the address delivers to, or null when free.</summary>
    public string? AccountId { get; set; }

    /// <summary>That account's tenant.</summary>
    public string? TenantId { get; set; }
}
