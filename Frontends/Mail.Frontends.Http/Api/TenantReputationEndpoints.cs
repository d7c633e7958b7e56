using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Reputation;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/admin/tenants/{tenant}/reputation and /v1/admin/reputation: tenants' standing and rates, their ranking, events, and lifting a tenant.</summary>
public static class TenantReputationEndpoints
{
    /// <summary>Maps the endpoints on the admin group (which checks the admin token).</summary>
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/tenants/{tenant}/reputation", async (string tenant, IGrainFactory grains, int? hours) =>
        {
            if (hours is < 1 or > 168) return Problems.BadRequest("hours must be between 1 and 168.");
            var id = tenant.Trim().ToLowerInvariant();
            var overview = grains.GetGrain<IReputationOverviewGrain>(0);
            var standing = await grains.GetGrain<ITenantReputationGrain>(id).GetAsync();
            var counters = await overview.GetCountersAsync("tenant", id, hours ?? 48);
            var domains = (await grains.GetGrain<ITenantGrain>(id).GetAsync()).Domains;
            var byDomain = await Task.WhenAll(domains.Select(d => overview.GetCountersAsync("domain", d, hours ?? 48)));
            var events = await overview.ListEventsAsync(null, id, null, 50);
            return Results.Ok(new TenantDetailView(standing, counters, byDomain, events));
        }).WithName("AdminGetTenantReputation");

        admin.MapPost("/tenants/{tenant}/reputation/lift", async (string tenant, LiftRequest? request, IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<ITenantReputationGrain>(tenant.Trim().ToLowerInvariant()).LiftAsync(request?.Note)))
            .WithName("AdminLiftTenant");

        admin.MapGet("/reputation/tenants", async (IGrainFactory grains, int? limit) =>
        {
            var ranks = await grains.GetGrain<IReputationOverviewGrain>(0).RankTenantsAsync(limit ?? 50);
            var standings = await Task.WhenAll(ranks.Select(r => grains.GetGrain<ITenantReputationGrain>(r.Tenant).GetAsync()));
            return Results.Ok(ranks.Zip(standings, (rank, standing) => new TenantRankView(rank.Tenant, rank.LastDay, standing)));
        }).WithName("AdminRankTenants");

        admin.MapGet("/reputation/events", async (IGrainFactory grains, string? ip, string? tenant, long? before, int? limit) =>
            Results.Ok(await grains.GetGrain<IReputationOverviewGrain>(0).ListEventsAsync(ip, tenant, before, limit ?? 100)))
            .WithName("AdminListReputationEvents");
    }
}
