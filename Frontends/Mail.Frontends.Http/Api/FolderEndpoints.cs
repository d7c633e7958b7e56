using Mail.Frontends.Http.Auth;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/folders and /v1/quota of the caller's mailbox.</summary>
public static class FolderEndpoints
{
    /// <summary>A folder with its counters.</summary>
    public sealed record FolderView(string Name, string? SpecialUse, int Total, int Unread, long Size, long UidValidity, long UidNext)
    {
        /// <summary>The view of a folder.</summary>
        public static FolderView From(FolderInfo f) => new(f.Name, f.SpecialUse, f.MessageCount, f.UnseenCount, f.TotalSize, f.UidValidity, f.UidNext);
    }

    /// <summary>Body of POST /v1/folders and PATCH /v1/folders/{name}.</summary>
    public sealed record FolderRequest(string? Name);

    /// <summary>Answer of GET /v1/quota.</summary>
    public sealed record QuotaView(long UsedBytes, long LimitBytes, long MessageCount);

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/folders", async (HttpContext http, IGrainFactory grains) =>
            Results.Ok((await EmailEndpoints.Mailbox(http, grains).ListFoldersAsync()).Select(FolderView.From)))
            .WithName("ListFolders").RequireAuthorization(ScopePolicies.Read);

        v1.MapPost("/folders", async (FolderRequest request, HttpContext http, IGrainFactory grains) =>
        {
            var folder = await EmailEndpoints.Mailbox(http, grains).CreateFolderAsync(request.Name ?? "");
            return Results.Created($"/v1/folders/{Uri.EscapeDataString(folder.Name)}", FolderView.From(folder));
        }).WithName("CreateFolder").RequireAuthorization(ScopePolicies.Full);

        v1.MapMethods("/folders/{**name}", ["PATCH"], async (string name, FolderRequest request, HttpContext http, IGrainFactory grains) =>
            Results.Ok(FolderView.From(await EmailEndpoints.Mailbox(http, grains).RenameFolderAsync(Uri.UnescapeDataString(name), request.Name ?? ""))))
            .WithName("RenameFolder").RequireAuthorization(ScopePolicies.Full);

        v1.MapDelete("/folders/{**name}", async (string name, HttpContext http, IGrainFactory grains) =>
        {
            await EmailEndpoints.Mailbox(http, grains).DeleteFolderAsync(Uri.UnescapeDataString(name));
            return Results.NoContent();
        }).WithName("DeleteFolder").RequireAuthorization(ScopePolicies.Full);

        v1.MapGet("/quota", async (HttpContext http, IGrainFactory grains) =>
        {
            var quota = await EmailEndpoints.Mailbox(http, grains).GetQuotaAsync();
            return Results.Ok(new QuotaView(quota.UsedBytes, quota.LimitBytes, quota.MessageCount));
        }).WithName("GetQuota").RequireAuthorization(ScopePolicies.Read);
    }
}
