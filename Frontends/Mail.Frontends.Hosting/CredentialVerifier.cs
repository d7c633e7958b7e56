using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Hosting;

/// <summary>
/// Checks a protocol login (SMTP AUTH, POP3, IMAP) against the account grains: the user is an address
/// (primary or alias), the secret is the account password, an app password, or an API key of that account.
/// </summary>
public static class CredentialVerifier
{
    /// <summary>The account, or null when the user, the secret, or the account's standing is wrong.</summary>
    public static async Task<AccountInfo?> VerifyAsync(IGrainFactory grains, string user, string secret)
    {
        var address = AddressKey.Normalize(user);
        if (address is null || secret.Length == 0) return null;
        if (ApiKeyFormat.AccountIdOf(secret) is { } keyAccount)
        {
            var byKey = await grains.GetGrain<IAccountGrain>(keyAccount).AuthenticateApiKeyAsync(secret);
            return byKey is not null && (address == byKey.Address || byKey.Aliases.Contains(address)) ? byKey : null;
        }
        var route = await grains.GetGrain<IAddressGrain>(address).ResolveAsync();
        return route is null ? null : await grains.GetGrain<IAccountGrain>(route.AccountId).AuthenticateAsync(secret);
    }
}
