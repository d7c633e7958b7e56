using System.Security.Claims;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Http.Auth;

/// <summary>
/// The principal of a tenant API key: the tenant claim, the key's scope and a kind claim, but no account ("sub"), so
/// <see cref="MailUser"/> endpoints and the account scope policies never admit it.
/// </summary>
public static class TenantPrincipal
{
    /// <summary>Claim type naming what kind of principal a request has.</summary>
    public const string KindClaim = "kind";

    /// <summary>The kind claim's value for a tenant key.</summary>
    public const string Tenant = "tenant";

    /// <summary>The principal of a tenant key grant.</summary>
    public static ClaimsPrincipal Create(TenantApiKeyGrant grant, string scheme) => new(new ClaimsIdentity(
        [new Claim(KindClaim, Tenant), new Claim(MailUser.TenantClaim, grant.TenantId), new Claim(ScopePolicies.Claim, grant.Scope)],
        scheme, MailUser.TenantClaim, null));

    /// <summary>Whether <paramref name="principal"/> is a tenant key's.</summary>
    public static bool IsTenant(ClaimsPrincipal principal) => principal.FindFirst(KindClaim)?.Value == Tenant;

    /// <summary>The tenant a tenant key acts for.</summary>
    public static string TenantOf(ClaimsPrincipal principal) =>
        IsTenant(principal) ? principal.FindFirstValue(MailUser.TenantClaim)! : throw new InvalidOperationException("Not a tenant key.");

    /// <summary>The rate-limit partition of a tenant key ("tenant:ID"), or null for any other principal.</summary>
    public static string? PartitionOf(ClaimsPrincipal principal) =>
        IsTenant(principal) ? "tenant:" + principal.FindFirstValue(MailUser.TenantClaim) : null;
}
