using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Reputation;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/suppressions: the caller's tenant's suppression list. The grain is keyed by the caller's tenant, so no request reaches another tenant's entries.</summary>
public static class SuppressionEndpoints
{
    /// <summary>Body of POST /v1/suppressions: reason defaults to manual; expires_at to the reason's default (hard bounces expire).</summary>
    public sealed record SuppressionRequest(string? Address, string? Reason, DateTimeOffset? ExpiresAt, string? Detail);

    /// <summary>Longest detail a tenant may store with an entry.</summary>
    private const int MaxDetailLength = 500;

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/suppressions").RequireAuthorization(ScopePolicies.Tenant);

        group.MapGet("", async (HttpContext http, IGrainFactory grains, string? after, int? limit, string? reason) =>
        {
            if (reason is not null && !SuppressionReasons.IsValid(reason)) return Problems.BadRequest(ReasonRule);
            return Results.Ok(await List(http, grains).ListAsync(after, limit ?? 100, reason));
        }).WithName("ListSuppressions");

        group.MapGet("/{address}", async (string address, HttpContext http, IGrainFactory grains) =>
            await List(http, grains).GetAsync(address) is { } entry ? Results.Ok(entry) : Problems.NotFound($"{address} is not suppressed."))
            .WithName("GetSuppression");

        group.MapPost("", async (SuppressionRequest request, HttpContext http, IGrainFactory grains) =>
        {
            var address = AddressKey.Normalize(request.Address);
            if (address is null) return Problems.BadRequest("address must be an e-mail address.");
            var reason = request.Reason ?? SuppressionReasons.Manual;
            if (!SuppressionReasons.IsValid(reason)) return Problems.BadRequest(ReasonRule);
            if (request.ExpiresAt is { } expires && expires <= DateTimeOffset.UtcNow) return Problems.BadRequest("expires_at must be in the future.");
            if (request.Detail is { Length: > MaxDetailLength }) return Problems.BadRequest($"detail is longer than {MaxDetailLength} characters.");
            var entry = await List(http, grains).AddAsync(address, reason, request.ExpiresAt, request.Detail);
            return Results.Created($"/v1/suppressions/{Uri.EscapeDataString(entry.Address)}", entry);
        }).WithName("AddSuppression");

        group.MapDelete("/{address}", async (string address, HttpContext http, IGrainFactory grains) =>
            await List(http, grains).RemoveAsync(address) ? Results.NoContent() : Problems.NotFound($"{address} is not on the suppression list."))
            .WithName("RemoveSuppression");
    }

    private static string ReasonRule => $"reason must be one of {string.Join(", ", SuppressionReasons.All)}.";

    private static ISuppressionListGrain List(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<ISuppressionListGrain>(MailUser.TenantOf(http.User));
}
