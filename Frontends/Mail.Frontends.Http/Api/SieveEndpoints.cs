using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.Http.Api;

/// <summary>
/// /v1/sieve: the caller's Sieve scripts (RFC 5228), the same store ManageSieve (RFC 5804) serves. A script with an
/// error is refused at upload with 400 and the error's line and column; nothing is stored.
/// </summary>
public static class SieveEndpoints
{
    /// <summary>Body of PUT /v1/sieve/scripts/{name} and POST /v1/sieve/check.</summary>
    public sealed record ScriptRequest(string? Content, bool? Active);

    /// <summary>A script in a listing.</summary>
    public sealed record ScriptItem(string Name, bool Active, long Size, DateTimeOffset UpdatedAt);

    /// <summary>A script with its text.</summary>
    public sealed record ScriptView(string Name, bool Active, string Content);

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/sieve/scripts", async (HttpContext http, IGrainFactory grains) =>
        {
            var scripts = await Scripts(http, grains).ListAsync();
            return Results.Ok(new { scripts = scripts.Select(s => new ScriptItem(s.Name, s.Active, s.Size, s.UpdatedAt)) });
        }).WithName("ListSieveScripts").RequireAuthorization(ScopePolicies.Read);

        v1.MapGet("/sieve/scripts/{name}", async (string name, HttpContext http, IGrainFactory grains) =>
        {
            var scripts = Scripts(http, grains);
            var content = await scripts.GetAsync(name);
            if (content is null) return Problems.NotFound($"There is no script named \"{name}\".");
            var active = (await scripts.GetActiveAsync())?.Name == name;
            return Results.Ok(new ScriptView(name, active, content));
        }).WithName("GetSieveScript").RequireAuthorization(ScopePolicies.Read);

        v1.MapPut("/sieve/scripts/{name}", async (string name, ScriptRequest request, HttpContext http, IGrainFactory grains) =>
        {
            if (request.Content is null) return Problems.BadRequest("content is required.");
            var scripts = Scripts(http, grains);
            var existed = await scripts.GetAsync(name) is not null;
            var result = await scripts.PutAsync(name, request.Content);
            if (!result.Ok) return ScriptError(result);
            if (request.Active == true) await scripts.SetActiveAsync(name);
            var active = (await scripts.GetActiveAsync())?.Name == name;
            var view = new ScriptView(name, active, request.Content);
            return existed ? Results.Ok(view) : Results.Created($"/v1/sieve/scripts/{Uri.EscapeDataString(name)}", view);
        }).WithName("PutSieveScript").RequireAuthorization(ScopePolicies.Full);

        v1.MapPost("/sieve/check", async (ScriptRequest request, HttpContext http, IGrainFactory grains) =>
        {
            if (request.Content is null) return Problems.BadRequest("content is required.");
            var result = await Scripts(http, grains).CheckAsync(request.Content);
            return result.Ok ? Results.Ok(new { ok = true }) : ScriptError(result);
        }).WithName("CheckSieveScript").RequireAuthorization(ScopePolicies.Read);

        v1.MapPost("/sieve/scripts/{name}/activate", async (string name, HttpContext http, IGrainFactory grains) =>
        {
            await Scripts(http, grains).SetActiveAsync(name);
            return Results.NoContent();
        }).WithName("ActivateSieveScript").RequireAuthorization(ScopePolicies.Full);

        v1.MapDelete("/sieve/active", async (HttpContext http, IGrainFactory grains) =>
        {
            await Scripts(http, grains).SetActiveAsync(null);
            return Results.NoContent();
        }).WithName("DeactivateSieve").RequireAuthorization(ScopePolicies.Full);

        v1.MapDelete("/sieve/scripts/{name}", async (string name, HttpContext http, IGrainFactory grains) =>
        {
            try
            {
                await Scripts(http, grains).DeleteAsync(name);
            }
            catch (MailException e) when (e.Code == MailErrorCode.Forbidden)
            {
                return Problems.Conflict(e.Message);
            }
            return Results.NoContent();
        }).WithName("DeleteSieveScript").RequireAuthorization(ScopePolicies.Full);
    }

    /// <summary>The caller's script store.</summary>
    private static ISieveScriptsGrain Scripts(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<ISieveScriptsGrain>(MailUser.From(http.User).AccountId);

    /// <summary>400 naming the error and where it is.</summary>
    private static IResult ScriptError(SieveCheckResult result) => Results.Problem(result.Error, statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid Sieve script", extensions: new Dictionary<string, object?> { ["line"] = result.Line, ["column"] = result.Column });
}
