using Mail.Grains.Interfaces.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Mail.Frontends.Http.Auth;

/// <summary>
/// Authorization policies named after <see cref="ApiKeyScopes"/>: a request passes when its "scope" claim grants the
/// policy's scope. Access tokens carry "full"; an API key carries the scope it was made with. <see cref="Tenant"/> guards
/// what a tenant manages as a whole.
/// </summary>
public static class ScopePolicies
{
    /// <summary>Claim type of the scope.</summary>
    public const string Claim = "scope";

    /// <summary>Policy of endpoints that read the mailbox.</summary>
    public const string Read = "scope:" + ApiKeyScopes.Read;

    /// <summary>Policy of POST /v1/send.</summary>
    public const string Send = "scope:" + ApiKeyScopes.Send;

    /// <summary>Policy of endpoints that change the mailbox or the account (and so its keys).</summary>
    public const string Full = "scope:" + ApiKeyScopes.Full;

    /// <summary>
    /// Policy of the caller's tenant's sending settings (suppression list, webhooks): a full-scope caller that belongs to a
    /// tenant (its "tenant" claim); the endpoints act only on that tenant.
    /// </summary>
    public const string Tenant = "tenant";

    /// <summary>Policy of /v1/bulk: a tenant key with bulk scope; no account credential, however strong, passes.</summary>
    public const string Bulk = "tenant:" + ApiKeyScopes.Bulk;

    /// <summary>Adds the three scope policies, <see cref="Tenant"/> and <see cref="Bulk"/>.</summary>
    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Tenant, policy => policy.RequireAuthenticatedUser().RequireClaim(MailUser.TenantClaim).RequireAssertion(context =>
            context.User.FindFirst(Claim)?.Value == ApiKeyScopes.Full));
        options.AddPolicy(Bulk, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
            TenantPrincipal.IsTenant(context.User) && context.User.FindFirst(Claim)?.Value == ApiKeyScopes.Bulk));
        foreach (var scope in new[] { ApiKeyScopes.Read, ApiKeyScopes.Send, ApiKeyScopes.Full })
        {
            options.AddPolicy("scope:" + scope, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
                context.User.FindFirst(Claim)?.Value is { } granted && ApiKeyScopes.Allows(granted, scope)));
        }
    }
}
