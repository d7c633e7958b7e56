namespace Mail.Grains.Interfaces.Accounts;

/// <summary>One e-mail address (keyed by its normalized form): the account it routes to.</summary>
[Alias("mail.IAddressGrain")]
public interface IAddressGrain : IGrainWithStringKey
{
    /// <summary>Points the address at an account; returns false if it already routes elsewhere.</summary>
    Task<bool> ClaimAsync(AddressRoute route);

    /// <summary>Frees the address if it routes to this account.</summary>
    Task ReleaseAsync(string accountId);

    /// <summary>Where the address routes, or null if nowhere.</summary>
    Task<AddressRoute?> ResolveAsync();
}

/// <summary>The account behind an address.</summary>
[GenerateSerializer, Immutable, Alias("mail.AddressRoute")]
public sealed record AddressRoute(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string TenantId);
