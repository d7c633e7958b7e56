using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Outbound;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/outbound (the caller's remote recipients) and /v1/admin/outbound (every sender's, with retry and cancel, and each destination site's state).</summary>
public static class OutboundEndpoints
{
    /// <summary>The states a recipient can be in.</summary>
    private static readonly string[] States = ["queued", "deferred", "delivered", "failed", "cancelled", "suppressed"];

    /// <summary>Maps the user endpoints on <paramref name="v1"/> and the operator ones on <paramref name="admin"/>.</summary>
    public static void Map(RouteGroupBuilder v1, RouteGroupBuilder admin)
    {
        v1.MapGet("/outbound", async (HttpContext http, IGrainFactory grains, int? limit) =>
            Results.Ok(await grains.GetGrain<IOutboundQueueGrain>(0).ListForSenderAsync(MailUser.From(http.User).AccountId, limit ?? 100)))
            .WithName("ListOutbound").RequireAuthorization(ScopePolicies.Read);

        admin.MapGet("/outbound", async (IGrainFactory grains, string? state, string? domain, long? before, int? limit) =>
        {
            if (state is not null && !States.Contains(state)) return Problems.BadRequest($"state must be one of {string.Join(", ", States)}");
            return Results.Ok(await grains.GetGrain<IOutboundQueueGrain>(0).ListAsync(state, domain, before, limit ?? 100));
        }).WithName("AdminListOutbound");

        admin.MapPost("/outbound/{id:long}/retry", async (long id, IGrainFactory grains) =>
            await grains.GetGrain<IOutboundQueueGrain>(0).RetryAsync(id)
                ? Results.Ok(new { id, status = "queued" })
                : Problems.Conflict($"Outbound recipient {id} is not waiting or failed (it is delivered, cancelled, being sent now, or unknown)."))
            .WithName("AdminRetryOutbound");

        admin.MapPost("/outbound/{id:long}/cancel", async (long id, IGrainFactory grains) =>
            await grains.GetGrain<IOutboundQueueGrain>(0).CancelAsync(id)
                ? Results.Ok(new { id, status = "cancelled" })
                : Problems.Conflict($"Outbound recipient {id} is not waiting (it is delivered, failed, cancelled, being sent now, or unknown)."))
            .WithName("AdminCancelOutbound");

        admin.MapGet("/outbound/destinations/{site}", async (string site, IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IDestinationGrain>(site).GetStatusAsync()))
            .WithName("AdminDestinationStatus");
    }
}
