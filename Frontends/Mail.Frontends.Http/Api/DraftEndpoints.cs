using System.Globalization;
using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Frontends.Http.Messages;
using Mail.Frontends.Http.Pipeline;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http.Api;

/// <summary>
/// POST /v1/drafts: saves a message being written into Drafts with \Draft and \Seen (RFC 9051 §2.3.2), as IMAP APPEND
/// would, so every client sees it. A draft saved again names the one it replaces (<c>replaces</c>), which is removed
/// once the new one is stored: the folder holds one copy per draft, and a crash between the two leaves two, never none.
/// </summary>
public static class DraftEndpoints
{
    /// <summary>Answer of a saved draft: its message id, to name in the next save's <c>replaces</c> or to delete.</summary>
    public sealed record DraftView(string Id);

    private static readonly MimeKit.FormatOptions WireFormat = new() { NewLineFormat = MimeKit.NewLineFormat.Dos };

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/drafts", async (SendRequest request, long? replaces, HttpContext http, IGrainFactory grains, IBlobStore blobs,
            IOptions<HttpFrontendOptions> options, CancellationToken ct) =>
        {
            var user = MailUser.From(http.User);
            var account = await grains.GetGrain<IAccountGrain>(user.AccountId).GetAsync();
            if (account is null || account.Suspended) return Problems.Forbidden("This account is suspended.");
            var (built, error) = OutgoingMessageBuilder.Build(request, account.Address, options.Value.MaxRecipients, draft: true);
            if (built is null) return Problems.BadRequest(error!);
            using var content = new MemoryStream();
            await built.Message.WriteToAsync(WireFormat, content, ct);
            if (content.Length > options.Value.MaxMessageBytes)
            {
                return Problems.TooLarge($"The draft is {content.Length} bytes; the limit is {options.Value.MaxMessageBytes}.");
            }
            var mailbox = grains.GetGrain<IMailboxGrain>(account.AccountId);
            var quota = await mailbox.GetQuotaAsync();
            if (quota.UsedBytes + content.Length > quota.LimitBytes) return Problems.TooLarge("The mailbox is over quota.");
            content.Position = 0;
            var stored = await blobs.PutAsync(account.TenantId, content, ct);
            DeliveryResult result;
            try
            {
                result = await mailbox.DeliverAsync(new MessageDelivery("http-draft/" + Guid.NewGuid().ToString("N"), SpecialFolders.Drafts,
                    new StoredBlob(account.TenantId, stored.Name, stored.Length), MessageSummaryReader.Read(built.Message),
                    [MessageFlags.Draft, MessageFlags.Seen], [], DateTimeOffset.UtcNow));
            }
            catch (MailException)
            {
                await blobs.DeleteAsync(account.TenantId, stored, CancellationToken.None);
                throw;
            }
            if (replaces is { } old && await mailbox.GetMessageAsync(old) is { Folder: SpecialFolders.Drafts })
            {
                await mailbox.ExpungeMessageAsync(old);
            }
            var id = result.MessageId.ToString(CultureInfo.InvariantCulture);
            return Results.Created($"/v1/emails/{id}", new DraftView(id));
        }).WithName("SaveDraft").RequireAuthorization(ScopePolicies.Full).WithBodyLimit(BodyLimit.Message);

        // A draft that was sent or discarded is removed for good, not moved to Trash as DELETE /v1/emails/{id} would.
        v1.MapDelete("/drafts/{id:long}", async (long id, HttpContext http, IGrainFactory grains) =>
        {
            var mailbox = EmailEndpoints.Mailbox(http, grains);
            if (await mailbox.GetMessageAsync(id) is not { Folder: SpecialFolders.Drafts }) return Problems.NotFound($"Draft {id} does not exist.");
            await mailbox.ExpungeMessageAsync(id);
            return Results.NoContent();
        }).WithName("DeleteDraft").RequireAuthorization(ScopePolicies.Full);
    }
}
