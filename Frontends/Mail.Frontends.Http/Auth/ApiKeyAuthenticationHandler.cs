using System.Security.Claims;
using System.Text.Encodings.Web;
using Mail.Grains.Interfaces.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http.Auth;

/// <summary>
/// Authenticates "Authorization: Bearer mk_…" or "X-Api-Key: mk_…" against the key's account grain, and tenant keys
/// ("mt_…") against the tenant grain: their principal is a <see cref="TenantPrincipal"/>, which no account endpoint admits.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Scheme name.</summary>
    public const string SchemeName = "apikey";

    /// <summary>Header that may carry a key instead of Authorization.</summary>
    public const string Header = "X-Api-Key";

    /// <summary>The API key of a request, if it carries one.</summary>
    public static string? KeyOf(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Header, out var header)) return header.ToString().Trim();
        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[bearer.Length..].Trim();
            if (ApiKeyFormat.IsApiKey(token)) return token;
        }
        return null;
    }

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = KeyOf(Request);
        if (key is null) return AuthenticateResult.NoResult();
        if (key.StartsWith(ApiKeyFormat.TenantPrefix, StringComparison.Ordinal)) return await AuthenticateTenantAsync(key);
        var accountId = ApiKeyFormat.AccountIdOf(key);
        if (accountId is null) return AuthenticateResult.Fail("Malformed API key.");
        var grant = await grains.GetGrain<IAccountGrain>(accountId).AuthenticateApiKeyAsync(key);
        if (grant is null) return AuthenticateResult.Fail("Invalid or expired API key.");
        var account = grant.Account;
        var user = new MailUser(account.AccountId, account.TenantId, account.Address);
        var claims = user.ToClaims().Append(new Claim(ScopePolicies.Claim, grant.Scope));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, MailUser.AddressClaim, null));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private async Task<AuthenticateResult> AuthenticateTenantAsync(string key)
    {
        var tenantId = ApiKeyFormat.TenantIdOf(key);
        if (tenantId is null) return AuthenticateResult.Fail("Malformed API key.");
        var grant = await grains.GetGrain<ITenantGrain>(tenantId).AuthenticateApiKeyAsync(key);
        if (grant is null) return AuthenticateResult.Fail("Invalid or expired API key.");
        return AuthenticateResult.Success(new AuthenticationTicket(TenantPrincipal.Create(grant, SchemeName), SchemeName));
    }
}
