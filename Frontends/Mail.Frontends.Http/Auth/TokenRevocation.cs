using Mail.Frontends.Hosting;
using Mail.Grains.Interfaces.Accounts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;

namespace Mail.Frontends.Http.Auth;

/// <summary>
/// Checks on every request that an access token's version ("tv") is still the account's: a password change or a
/// suspension bumps it, so tokens issued before fail at once. One call to the (in-memory) account grain per request,
/// uncached, so revocation takes effect on the next request rather than after a cache lifetime.
/// </summary>
public static class TokenRevocation
{
    /// <summary>Claim type of the token version.</summary>
    public const string VersionClaim = "tv";

    /// <summary>The JwtBearer OnTokenValidated handler.</summary>
    public static async Task CheckAsync(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (!int.TryParse(principal.FindFirst(VersionClaim)?.Value, out var version))
        {
            context.Fail("The token carries no version.");
            return;
        }
        var user = MailUser.From(principal);
        var verifier = context.HttpContext.RequestServices.GetRequiredService<CredentialVerifier>();
        var probe = new AccountInfo(user.AccountId, user.TenantId, user.Address, [], 0, false, default, version);
        if (!await verifier.IsCurrentAsync(probe)) context.Fail("The token was revoked.");
    }
}
