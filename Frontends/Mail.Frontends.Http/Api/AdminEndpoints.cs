using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Outbound;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/admin: domains and accounts, for operators holding the admin token.</summary>
public static class AdminEndpoints
{
    /// <summary>Body of POST /v1/admin/domains; the tenant defaults to the domain name.</summary>
    public sealed record DomainRequest(string? Domain, string? Tenant);

    /// <summary>Body of POST /v1/admin/accounts.</summary>
    public sealed record AccountRequest(string? Address, string? Password, long? QuotaBytes);

    /// <summary>Body of PATCH /v1/admin/accounts/{address}: each member left out is left alone.</summary>
    public sealed record AccountPatch(bool? Suspended, long? QuotaBytes, string? Password);

    /// <summary>Body of alias creation.</summary>
    public sealed record AliasRequest(string? Alias);

    /// <summary>
    /// Body of PATCH /v1/admin/tenants/{id}: each member left out is left alone; <c>dmarc_reject_action</c> is "reject",
    /// "quarantine" or "default" (the server's <c>Mail:Smtp:InboundAuth:DmarcRejectAction</c>).
    /// </summary>
    public sealed record TenantPatch(bool? Suspended, string? DmarcRejectAction);

    /// <summary>A page of accounts.</summary>
    public sealed record AccountListView(IReadOnlyList<AccountEndpoints.AccountView> Items, int Page, int PageSize, long Total);

    /// <summary>Maps the endpoints under a group that checks the admin token; returns that group for other operator endpoints.</summary>
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var admin = v1.MapGroup("/admin").AllowAnonymous().AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<AdminToken>().IsPresentedBy(context.HttpContext.Request)
                ? await next(context)
                : Problems.Unauthorized($"This endpoint needs the admin token in {AdminToken.Header} or Authorization: Bearer."));

        admin.MapPost("/domains", async (DomainRequest request, IGrainFactory grains) =>
        {
            var domain = request.Domain?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(domain)) return Problems.BadRequest("domain is required.");
            var tenant = string.IsNullOrWhiteSpace(request.Tenant) ? domain : request.Tenant.Trim().ToLowerInvariant();
            var created = await grains.GetGrain<ITenantGrain>(tenant).AddDomainAsync(domain);
            await grains.GetGrain<ISendingDomainGrain>(created.Domain).EnsureKeysAsync();
            return Results.Created($"/v1/admin/domains/{created.Domain}", created);
        });

        admin.MapGet("/domains", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<IDirectoryGrain>(0).ListDomainsAsync()));

        admin.MapDelete("/domains/{domain}", async (string domain, IGrainFactory grains) =>
        {
            var info = await grains.GetGrain<IDomainGrain>(domain.ToLowerInvariant()).GetAsync();
            if (info is null) return Problems.NotFound($"Domain {domain} is not hosted here.");
            await grains.GetGrain<ITenantGrain>(info.TenantId).RemoveDomainAsync(info.Domain);
            return Results.NoContent();
        });

        admin.MapGet("/tenants/{tenant}", async (string tenant, IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<ITenantGrain>(tenant.ToLowerInvariant()).GetAsync()));

        admin.MapMethods("/tenants/{tenant}", ["PATCH"], async (string tenant, TenantPatch patch, IGrainFactory grains) =>
        {
            var grain = grains.GetGrain<ITenantGrain>(tenant.ToLowerInvariant());
            string? dmarc = null;
            if (patch.DmarcRejectAction is { } requested && !requested.Equals("default", StringComparison.OrdinalIgnoreCase)
                && (dmarc = DmarcRejectActions.Normalize(requested)) is null)
            {
                return Problems.BadRequest("dmarc_reject_action must be \"reject\", \"quarantine\" or \"default\".");
            }
            if (patch.Suspended is { } suspended) await grain.SetSuspendedAsync(suspended);
            if (patch.DmarcRejectAction is not null) await grain.SetDmarcRejectActionAsync(dmarc);
            return Results.Ok(await grain.GetAsync());
        });

        // Tenant API keys act for the whole tenant (bulk sending), never for a mailbox; shown once.
        admin.MapPost("/tenants/{tenant}/api-keys", async (string tenant, AccountEndpoints.ApiKeyRequest request, IGrainFactory grains) =>
        {
            var secret = await grains.GetGrain<ITenantGrain>(tenant.ToLowerInvariant())
                .CreateApiKeyAsync(request.Name ?? "", request.Scope ?? ApiKeyScopes.Bulk, request.ExpiresAt);
            return Results.Created($"/v1/admin/tenants/{tenant}/api-keys/{secret.Id}", new AccountEndpoints.SecretView(secret.Id, secret.Name, secret.Secret));
        });

        admin.MapDelete("/tenants/{tenant}/api-keys/{id}", async (string tenant, string id, IGrainFactory grains) =>
        {
            await grains.GetGrain<ITenantGrain>(tenant.ToLowerInvariant()).RevokeApiKeyAsync(id);
            return Results.NoContent();
        });

        admin.MapPost("/accounts", async (AccountRequest request, IGrainFactory grains) =>
        {
            var account = await Import.AccountImportEndpoints.CreateAsync(grains, request.Address, request.Password, request.QuotaBytes);
            return Results.Created($"/v1/admin/accounts/{account.Address}", AccountEndpoints.AccountView.From(account));
        });

        admin.MapGet("/accounts", async (IGrainFactory grains, IOptions<HttpFrontendOptions> options, string? domain, int? page, int? page_size) =>
        {
            var size = page_size ?? 50;
            var number = page ?? 1;
            if (number < 1 || size < 1 || size > options.Value.MaxPageSize) return Problems.BadRequest("Invalid page or page_size.");
            var result = await grains.GetGrain<IDirectoryGrain>(0).ListAccountsAsync(domain?.ToLowerInvariant(), (number - 1) * size, size);
            return Results.Ok(new AccountListView(result.Items.Select(AccountEndpoints.AccountView.From).ToArray(), number, size, result.Total));
        });

        admin.MapGet("/accounts/{address}", async (string address, IGrainFactory grains) =>
            await FindAsync(grains, address) is { } account && await account.GetAsync() is { } info
                ? Results.Ok(AccountEndpoints.AccountView.From(info))
                : Problems.NotFound($"No account has the address {address}."));

        admin.MapMethods("/accounts/{address}", ["PATCH"], async (string address, AccountPatch patch, IGrainFactory grains) =>
        {
            if (await FindAsync(grains, address) is not { } account) return Problems.NotFound($"No account has the address {address}.");
            if (patch.Suspended is { } suspended) await account.SetSuspendedAsync(suspended);
            if (patch.QuotaBytes is { } quota) await account.SetQuotaAsync(quota);
            if (patch.Password is { } password) await account.SetPasswordAsync(password);
            return Results.Ok(AccountEndpoints.AccountView.From((await account.GetAsync())!));
        });

        admin.MapDelete("/accounts/{address}", async (string address, IGrainFactory grains) =>
        {
            if (await FindAsync(grains, address) is not { } account) return Problems.NotFound($"No account has the address {address}.");
            await account.DeleteAsync();
            return Results.NoContent();
        });

        admin.MapPost("/accounts/{address}/aliases", async (string address, AliasRequest request, IGrainFactory grains) =>
        {
            if (await FindAsync(grains, address) is not { } account) return Problems.NotFound($"No account has the address {address}.");
            await account.AddAliasAsync(request.Alias ?? "");
            return Results.Ok(AccountEndpoints.AccountView.From((await account.GetAsync())!));
        });

        admin.MapDelete("/accounts/{address}/aliases/{alias}", async (string address, string alias, IGrainFactory grains) =>
        {
            if (await FindAsync(grains, address) is not { } account) return Problems.NotFound($"No account has the address {address}.");
            await account.RemoveAliasAsync(alias);
            return Results.NoContent();
        });
        SendingDomainEndpoints.Map(admin);
        return admin;
    }

    private static async Task<IAccountGrain?> FindAsync(IGrainFactory grains, string address)
    {
        var key = AddressKey.Normalize(address);
        if (key is null) return null;
        var route = await grains.GetGrain<IAddressGrain>(key).ResolveAsync();
        return route is null ? null : grains.GetGrain<IAccountGrain>(route.AccountId);
    }
}
