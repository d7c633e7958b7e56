using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Reputation;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/admin/pools and /v1/admin/ips: source-IP pools, their IPs' warm-up, caps, use and automation, and the operators' actions on them.</summary>
public static class IpPoolEndpoints
{
    /// <summary>Hourly buckets returned by default (the chart of the last two days).</summary>
    private const int DefaultHours = 48;

    /// <summary>Maps the endpoints on the admin group (which checks the admin token).</summary>
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/pools", async (IGrainFactory grains) =>
        {
            var setup = await grains.GetGrain<IReputationOverviewGrain>(0).GetSetupAsync();
            var pools = await Task.WhenAll(setup.Pools.Select(p => grains.GetGrain<IOutboundIpPoolGrain>(p).GetAsync()));
            return Results.Ok(new PoolsView(setup.Enabled, setup.DefaultPool, setup.Rules, setup.Providers, pools));
        }).WithName("AdminListPools");

        admin.MapGet("/pools/{pool}", async (string pool, IGrainFactory grains) =>
            await PoolAsync(grains, pool) is { } grain ? Results.Ok(await grain.GetAsync()) : PoolNotFound(pool))
            .WithName("AdminGetPool");

        admin.MapPut("/pools/{pool}/schedule", async (string pool, ScheduleRequest request, IGrainFactory grains) =>
        {
            if (await PoolAsync(grains, pool) is not { } grain) return PoolNotFound(pool);
            var current = (await grain.GetAsync()).Schedule;
            var table = request.Table is { Count: > 0 } steps ? steps : null;
            return Results.Ok(await grain.SetScheduleAsync(new WarmupScheduleSpec(request.StartPerHour ?? current.StartPerHour,
                request.DailyGrowth ?? current.DailyGrowth, request.DailyCapHours ?? current.DailyCapHours, request.FullAfterDays ?? current.FullAfterDays, table)));
        }).WithName("AdminSetPoolSchedule");

        admin.MapDelete("/pools/{pool}/schedule", async (string pool, IGrainFactory grains) =>
            await PoolAsync(grains, pool) is { } grain ? Results.Ok(await grain.SetScheduleAsync(null)) : PoolNotFound(pool))
            .WithName("AdminResetPoolSchedule");

        admin.MapGet("/ips/{ip}", async (string ip, IGrainFactory grains, int? hours) =>
        {
            if (hours is < 1 or > 168) return Problems.BadRequest("hours must be between 1 and 168.");
            var overview = grains.GetGrain<IReputationOverviewGrain>(0);
            if (await IpAsync(grains, ip) is not { } pool || await pool.GetIpAsync(ip) is not { } status) return IpNotFound(ip);
            var counters = await overview.GetCountersAsync("ip", status.Ip, hours ?? DefaultHours);
            var events = await overview.ListEventsAsync(status.Ip, null, null, 50);
            return Results.Ok(new IpDetailView(status, counters, events));
        }).WithName("AdminGetIp");

        admin.MapPost("/ips/{ip}/pause", async (string ip, PauseRequest? request, IGrainFactory grains) =>
            await IpAsync(grains, ip) is { } pool ? Results.Ok(await pool.PauseIpAsync(ip, request?.Reason ?? "")) : IpNotFound(ip))
            .WithName("AdminPauseIp");

        admin.MapPost("/ips/{ip}/resume", async (string ip, IGrainFactory grains) =>
            await IpAsync(grains, ip) is { } pool ? Results.Ok(await pool.ResumeIpAsync(ip)) : IpNotFound(ip))
            .WithName("AdminResumeIp");

        admin.MapPost("/ips/{ip}/move", async (string ip, MoveRequest request, IGrainFactory grains) =>
        {
            if (string.IsNullOrWhiteSpace(request.Pool)) return Problems.BadRequest("pool is required.");
            if (await PoolAsync(grains, request.Pool) is null) return PoolNotFound(request.Pool);
            return await IpAsync(grains, ip) is { } pool ? Results.Ok(await pool.MoveIpAsync(ip, request.Pool)) : IpNotFound(ip);
        }).WithName("AdminMoveIp");

        admin.MapPut("/ips/{ip}/warmup", async (string ip, WarmupDayRequest request, IGrainFactory grains) =>
        {
            if (request.Day is < 1 or > 3650) return Problems.BadRequest("day must be between 1 and 3650, or null for warmed.");
            return await IpAsync(grains, ip) is { } pool ? Results.Ok(await pool.SetWarmupDayAsync(ip, request.Day)) : IpNotFound(ip);
        }).WithName("AdminSetIpWarmup");
    }

    /// <summary>The grain of a configured pool, or null.</summary>
    private static async Task<IOutboundIpPoolGrain?> PoolAsync(IGrainFactory grains, string pool)
    {
        var name = pool.Trim().ToLowerInvariant();
        var setup = await grains.GetGrain<IReputationOverviewGrain>(0).GetSetupAsync();
        return setup.Pools.Contains(name) ? grains.GetGrain<IOutboundIpPoolGrain>(name) : null;
    }

    /// <summary>The grain of the pool that holds <paramref name="ip"/>, or null.</summary>
    private static async Task<IOutboundIpPoolGrain?> IpAsync(IGrainFactory grains, string ip) =>
        await grains.GetGrain<IReputationOverviewGrain>(0).FindPoolAsync(ip) is { } pool ? grains.GetGrain<IOutboundIpPoolGrain>(pool) : null;

    private static IResult PoolNotFound(string pool) => Problems.NotFound($"Pool {pool} is not configured (Mail:Reputation:Pools).");

    private static IResult IpNotFound(string ip) => Problems.NotFound($"No pool holds IP {ip} (Mail:Reputation:Pools:<pool>:Ips).");
}
