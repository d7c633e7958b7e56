using System.Net;
using System.Text;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Security;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Hosting;

/// <summary>
/// The one credential check of every protocol (SMTP AUTH, IMAP, POP3, HTTP tokens): the user is an address (primary
/// or alias), the secret one the <see cref="CredentialUse"/> accepts. Guessing is throttled per client address in an
/// <see cref="IAuthThrottleGrain"/>, asked before and told after each check; a locked-out attempt is not checked at
/// all, so even the right password fails with the protocol's one generic answer. Failures are answered after a
/// growing delay, spent here in the frontend so no grain is held.
/// </summary>
public sealed class CredentialVerifier(IGrainFactory grains, IOptions<CredentialCheckOptions> options, IBearerTokenVerifier? bearerTokens = null)
{
    /// <summary>Longest secret checked; longer fails without hashing (no stored password is longer).</summary>
    public const int MaxSecretBytes = 1024;

    // Bounds what an attacker can make the throttle grain remember per attempt.
    private const int MaxUserNameLength = 320;

    /// <summary>The account, or null when the user, the secret, the account's standing or the throttle says no.</summary>
    public Task<AccountInfo?> VerifyAsync(string user, string secret, IPAddress client, CredentialUse use)
    {
        var address = AddressKey.Normalize(user);
        return ThrottledAsync(address ?? user.Trim().ToLowerInvariant(), client, use, () =>
            address is null || secret.Length == 0 || Encoding.UTF8.GetByteCount(secret) > MaxSecretBytes
                ? Task.FromResult<AccountInfo?>(null)
                : CheckAsync(address, secret, use));
    }

    /// <summary>Whether the OAUTHBEARER and XOAUTH2 mechanisms can be offered (the HTTP frontend that issues tokens is here).</summary>
    public bool BearerTokensAccepted => bearerTokens is not null;

    /// <summary>
    /// The account an API access token names (RFC 7628 OAUTHBEARER, or XOAUTH2), under the same throttle as passwords;
    /// <paramref name="user"/>, when the client sent one, must be the token's address or one of its aliases.
    /// </summary>
    public Task<AccountInfo?> VerifyBearerAsync(string? user, string token, IPAddress client, CredentialUse use)
    {
        var address = string.IsNullOrEmpty(user) ? null : AddressKey.Normalize(user);
        return ThrottledAsync(address ?? "bearer", client, use, async () =>
        {
            if (bearerTokens is null || (!string.IsNullOrEmpty(user) && address is null)) return null;
            var account = await bearerTokens.VerifyAsync(token, use == CredentialUse.Submission ? ApiKeyScopes.Send : ApiKeyScopes.Read);
            return account is not null && (address is null || address == account.Address || account.Aliases.Contains(address)) ? account : null;
        });
    }

    private async Task<AccountInfo?> ThrottledAsync(string name, IPAddress client, CredentialUse use, Func<Task<AccountInfo?>> check)
    {
        if (name.Length > MaxUserNameLength) name = name[..MaxUserNameLength];
        var throttle = grains.GetGrain<IAuthThrottleGrain>(ThrottleKey.Of(client));
        var standing = await throttle.CheckAsync(name);
        if (standing.Locked)
        {
            Failed(use, "locked");
            await Task.Delay(options.Value.MaxFailureDelay);
            return null;
        }
        var account = await check();
        if (account is null)
        {
            Failed(use, "rejected");
            var after = await throttle.RecordFailureAsync(name);
            await Task.Delay(options.Value.DelayAfter(after.RecentFailures));
            return null;
        }
        if (standing.RecentFailures > 0) await throttle.RecordSuccessAsync(name);
        return account;
    }

    private static void Failed(CredentialUse use, string reason) => Mail.Grains.Interfaces.Diagnostics.MailTelemetry.AuthFailures.Add(1,
        new KeyValuePair<string, object?>("use", use.ToString().ToLowerInvariant()), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Whether a session or token issued to <paramref name="account"/> still stands (no suspension or password change since).</summary>
    public Task<bool> IsCurrentAsync(AccountInfo account) =>
        grains.GetGrain<IAccountGrain>(account.AccountId).IsCurrentAsync(account.TokenVersion);

    private async Task<AccountInfo?> CheckAsync(string address, string secret, CredentialUse use)
    {
        if (ApiKeyFormat.AccountIdOf(secret) is { } keyAccount)
        {
            if (use == CredentialUse.AccountPassword) return null;
            var grant = await grains.GetGrain<IAccountGrain>(keyAccount).AuthenticateApiKeyAsync(secret);
            var needed = use == CredentialUse.Submission ? ApiKeyScopes.Send : ApiKeyScopes.Read;
            return grant is { Account: var byKey } && ApiKeyScopes.Allows(grant.Scope, needed)
                   && (address == byKey.Address || byKey.Aliases.Contains(address))
                ? byKey
                : null;
        }
        var route = await grains.GetGrain<IAddressGrain>(address).ResolveAsync();
        if (route is null) return await grains.GetGrain<IPasswordDecoyGrain>(0).AuthenticateAsync(secret);
        var grain = grains.GetGrain<IAccountGrain>(route.AccountId);
        return use == CredentialUse.AccountPassword ? await grain.AuthenticatePasswordAsync(secret) : await grain.AuthenticateAsync(secret);
    }
}
