using System.Security.Claims;

namespace Mail.Frontends.Http.Auth;

/// <summary>The authenticated account behind a request, read from its claims.</summary>
public sealed record MailUser(string AccountId, string TenantId, string Address)
{
    /// <summary>Claim type of the tenant id.</summary>
    public const string TenantClaim = "tenant";

    /// <summary>Claim type of the address.</summary>
    public const string AddressClaim = "email";

    /// <summary>The claims that describe this user.</summary>
    public IEnumerable<Claim> ToClaims() =>
        [new Claim("sub", AccountId), new Claim(TenantClaim, TenantId), new Claim(AddressClaim, Address)];

    /// <summary>The tenant a caller acts for (the <see cref="ScopePolicies.Tenant"/> policy makes sure it has one).</summary>
    public static string TenantOf(ClaimsPrincipal principal) =>
        principal.FindFirstValue(TenantClaim) ?? throw new InvalidOperationException("No tenant claim.");

    /// <summary>The user of an authenticated principal.</summary>
    public static MailUser From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue("sub") ?? principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No account claim."),
        principal.FindFirstValue(TenantClaim) ?? throw new InvalidOperationException("No tenant claim."),
        principal.FindFirstValue(AddressClaim) ?? principal.FindFirstValue(ClaimTypes.Email) ?? "");
}
