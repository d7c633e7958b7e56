using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Reputation;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/webhooks: the caller's tenant's webhook endpoints and their delivery log, through the grain keyed by that tenant.</summary>
public static class WebhookEndpoints
{
    /// <summary>Body of POST /v1/webhooks: events default to all of them.</summary>
    public sealed record WebhookRequest(string? Url, IReadOnlyList<string>? Events);

    /// <summary>A webhook just registered: the only answer that shows its secret.</summary>
    public sealed record CreatedView(long Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, string Secret);

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/webhooks").RequireAuthorization(ScopePolicies.Tenant);

        group.MapPost("", async (WebhookRequest request, HttpContext http, IGrainFactory grains) =>
        {
            var created = await Hooks(http, grains).CreateAsync(request.Url ?? "", request.Events ?? []);
            var hook = created.Webhook;
            return Results.Created($"/v1/webhooks/{hook.Id}", new CreatedView(hook.Id, hook.Url, hook.Events, hook.CreatedAt, created.Secret));
        }).WithName("CreateWebhook");

        group.MapGet("", async (HttpContext http, IGrainFactory grains) => Results.Ok(await Hooks(http, grains).ListAsync()))
            .WithName("ListWebhooks");

        group.MapGet("/{id:long}", async (long id, HttpContext http, IGrainFactory grains) =>
            await Hooks(http, grains).GetAsync(id) is { } hook ? Results.Ok(hook) : NotFound(id))
            .WithName("GetWebhook");

        group.MapDelete("/{id:long}", async (long id, HttpContext http, IGrainFactory grains) =>
            await Hooks(http, grains).DeleteAsync(id) ? Results.NoContent() : NotFound(id))
            .WithName("DeleteWebhook");

        group.MapGet("/{id:long}/deliveries", async (long id, HttpContext http, IGrainFactory grains, long? before, int? limit) =>
            await Hooks(http, grains).DeliveriesAsync(id, before, limit ?? 50) is { } log ? Results.Ok(log) : NotFound(id))
            .WithName("ListWebhookDeliveries");
    }

    private static IResult NotFound(long id) => Problems.NotFound($"Webhook {id} does not exist.");

    private static IWebhookGrain Hooks(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<IWebhookGrain>(MailUser.TenantOf(http.User));
}
