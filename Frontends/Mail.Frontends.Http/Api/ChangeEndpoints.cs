using System.Text.Json;
using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http.Api;

/// <summary>
/// /v1/changes: the caller's mailbox change log, for a client that keeps its own copy in step (delta sync). A client
/// whose position is behind the retention horizon gets 410 Gone, never a delta with a gap: it lists folders and
/// messages again and continues from the <c>highest_modseq</c> the 410 carries (read before the answer, so nothing
/// made after it is missed).
/// </summary>
public static class ChangeEndpoints
{
    /// <summary>One change: what happened (<c>added</c>, <c>flags_changed</c>, <c>expunged</c>, <c>folder_created</c>, ...), where, to which message.</summary>
    public sealed record ChangeView(long Modseq, string Kind, int FolderId, string? Folder, long? MessageId, long? Uid);

    /// <summary>Answer of GET /v1/changes: the changes after <c>since</c>, the position to ask from next, and whether more are waiting.</summary>
    public sealed record ChangePage(IReadOnlyList<ChangeView> Changes, long HighestModseq, bool More);

    /// <summary>Maps the endpoint.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/changes", async (HttpContext http, IGrainFactory grains, IOptions<HttpFrontendOptions> options, long? since, int? limit) =>
        {
            var size = limit ?? options.Value.MaxPageSize;
            if (size < 1 || size > options.Value.MaxPageSize || since < 0)
            {
                return Problems.BadRequest($"since must be >= 0 and limit between 1 and {options.Value.MaxPageSize}.");
            }
            var mailbox = EmailEndpoints.Mailbox(http, grains);
            // Read before the changes: every MODSEQ up to it is committed, so the page below reaches at least this far.
            var highest = await mailbox.GetHighestModseqAsync();
            if (since is not { } after) return Results.Ok(new ChangePage([], highest, false));
            IReadOnlyList<MailboxChange> changes;
            try
            {
                changes = await mailbox.GetChangesAsync(after, size + 1);
            }
            catch (MailException e) when (e.Code == MailErrorCode.HistoryPruned)
            {
                return Results.Problem(
                    $"{e.Message} List the folders and messages again, then ask for the changes since highest_modseq.",
                    statusCode: StatusCodes.Status410Gone, title: "Changes no longer available",
                    extensions: new Dictionary<string, object?> { ["highest_modseq"] = highest });
            }
            var folders = (await mailbox.ListFoldersAsync()).ToDictionary(f => f.FolderId, f => f.Name);
            var more = changes.Count > size;
            var page = changes.Take(size).Select(c => new ChangeView(c.Modseq, JsonNamingPolicy.SnakeCaseLower.ConvertName(c.Kind.ToString()),
                c.FolderId, folders.GetValueOrDefault(c.FolderId), c.MessageId, c.Uid)).ToList();
            var position = more ? page[^1].Modseq : Math.Max(highest, page.Count == 0 ? after : page[^1].Modseq);
            return Results.Ok(new ChangePage(page, position, more));
        }).WithName("ListChanges").RequireAuthorization(ScopePolicies.Read);
    }
}
