using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Frontends.Http.Messages;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using MimeKit;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/emails: list, read, raw, attachments, change and delete messages of the caller's mailbox.</summary>
public static class EmailEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/emails", async (HttpContext http, IGrainFactory grains, IOptions<HttpFrontendOptions> options,
            string? folder, int? page, int? page_size) =>
        {
            var size = page_size ?? 50;
            var number = page ?? 1;
            if (number < 1 || size < 1 || size > options.Value.MaxPageSize)
            {
                return Problems.BadRequest($"page must be >= 1 and page_size between 1 and {options.Value.MaxPageSize}.");
            }
            var result = await Mailbox(http, grains).ListMessagesAsync(folder ?? SpecialFolders.Inbox, (number - 1) * size, size);
            return Results.Ok(new EmailPage(result.Items.Select(EmailItem.Of).ToArray(), number, size, result.Total));
        }).WithName("ListEmails").RequireAuthorization(ScopePolicies.Read);

        v1.MapGet("/emails/{id:long}", async (long id, HttpContext http, IGrainFactory grains, IBlobStore blobs, IConfiguration configuration, CancellationToken ct) =>
        {
            var record = await Mailbox(http, grains).GetMessageAsync(id);
            if (record is null) return Problems.NotFound($"Message {id} does not exist.");
            var message = await LoadAsync(blobs, record, ct);
            // The MX names itself in its results field with the SMTP host name (MAIL_HOSTNAME).
            return Results.Ok(MessageView.Render(record, message, configuration["Mail:Smtp:HostName"] ?? "localhost"));
        }).WithName("GetEmail").RequireAuthorization(ScopePolicies.Read);

        v1.MapGet("/emails/{id:long}/raw", async (long id, HttpContext http, IGrainFactory grains, IBlobStore blobs, CancellationToken ct) =>
        {
            var record = await Mailbox(http, grains).GetMessageAsync(id);
            if (record is null) return Problems.NotFound($"Message {id} does not exist.");
            var content = await blobs.OpenReadAsync(record.Blob.TenantId, new BlobRef(record.Blob.Name, record.Blob.Length), ct);
            http.Response.ContentLength = record.Blob.Length;
            return Results.Stream(content, "message/rfc822", $"message-{id}.eml");
        }).WithName("GetEmailRaw").RequireAuthorization(ScopePolicies.Read);

        v1.MapGet("/emails/{id:long}/attachments/{index:int}", async (long id, int index, HttpContext http, IGrainFactory grains,
            IBlobStore blobs, CancellationToken ct) =>
        {
            var record = await Mailbox(http, grains).GetMessageAsync(id);
            if (record is null) return Problems.NotFound($"Message {id} does not exist.");
            var message = await LoadAsync(blobs, record, ct);
            var attachments = MessageView.Attachments(message);
            if (index < 0 || index >= attachments.Count) return Problems.NotFound($"Message {id} has no attachment {index}.");
            var part = attachments[index];
            // Served from the API's own origin: a download, never a page that could run script there (AttachmentDownload).
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(AttachmentDownload.FileName(part, index));
            http.Response.Headers.ContentDisposition = disposition.ToString();
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            http.Response.ContentType = AttachmentDownload.ContentType(part);
            await MessageView.WriteContentAsync(part, http.Response.Body, ct);
            return Results.Empty;
        }).WithName("GetEmailAttachment").RequireAuthorization(ScopePolicies.Read);

        // RFC 2392: a cid: URL in the HTML names a body part by its Content-ID; the webmail fetches it here and shows it
        // as a blob: URL inside the sandboxed message frame.
        v1.MapGet("/emails/{id:long}/inline/{cid}", async (long id, string cid, HttpContext http, IGrainFactory grains, IBlobStore blobs, CancellationToken ct) =>
        {
            var record = await Mailbox(http, grains).GetMessageAsync(id);
            if (record is null) return Problems.NotFound($"Message {id} does not exist.");
            var message = await LoadAsync(blobs, record, ct);
            var wanted = cid.Trim().Trim('<', '>');
            var part = message.BodyParts.OfType<MimePart>().FirstOrDefault(p => string.Equals(p.ContentId?.Trim('<', '>'), wanted, StringComparison.Ordinal));
            if (part is null) return Problems.NotFound($"Message {id} has no part with Content-ID <{wanted}>.");
            http.Response.Headers.ContentDisposition = "attachment";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            http.Response.ContentType = AttachmentDownload.ContentType(part);
            await MessageView.WriteContentAsync(part, http.Response.Body, ct);
            return Results.Empty;
        }).WithName("GetEmailInlinePart").RequireAuthorization(ScopePolicies.Read);

        v1.MapMethods("/emails/{id:long}", ["PATCH"], async (long id, EmailPatch patch, HttpContext http, IGrainFactory grains) =>
        {
            var add = new List<string>(patch.AddFlags ?? []);
            var remove = new List<string>(patch.RemoveFlags ?? []);
            if (patch.Unread is { } unread) (unread ? remove : add).Add(MessageFlags.Seen);
            if (patch.Flagged is { } flagged) (flagged ? add : remove).Add(MessageFlags.Flagged);
            var updated = await Mailbox(http, grains).UpdateMessageAsync(id,
                new MessageUpdate(add, remove, patch.AddLabels, patch.RemoveLabels, patch.Folder));
            return Results.Ok(EmailItem.Of(updated));
        }).WithName("UpdateEmail").RequireAuthorization(ScopePolicies.Full);

        v1.MapDelete("/emails/{id:long}", async (long id, HttpContext http, IGrainFactory grains) =>
        {
            var mailbox = Mailbox(http, grains);
            var record = await mailbox.GetMessageAsync(id);
            if (record is null) return Problems.NotFound($"Message {id} does not exist.");
            if (record.Folder == SpecialFolders.Trash)
            {
                await mailbox.ExpungeMessageAsync(id);
                return Results.NoContent();
            }
            var moved = await mailbox.UpdateMessageAsync(id, new MessageUpdate(MoveTo: SpecialFolders.Trash));
            return Results.Ok(EmailItem.Of(moved));
        }).WithName("DeleteEmail").RequireAuthorization(ScopePolicies.Full);
    }

    /// <summary>The caller's mailbox grain.</summary>
    public static IMailboxGrain Mailbox(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<IMailboxGrain>(MailUser.From(http.User).AccountId);

    private static async Task<MimeMessage> LoadAsync(IBlobStore blobs, MessageRecord record, CancellationToken ct)
    {
        await using var content = await blobs.OpenReadAsync(record.Blob.TenantId, new BlobRef(record.Blob.Name, record.Blob.Length), ct);
        return await MimeMessage.LoadAsync(content, ct);
    }
}
