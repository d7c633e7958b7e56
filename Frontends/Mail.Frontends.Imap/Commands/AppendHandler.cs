using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// APPEND (RFC 9051 §6.3.12): stores the literal in the blob store, files it through the mailbox grain, and
/// answers OK [APPENDUID uidvalidity uid] (UIDPLUS, RFC 4315 §3) only once both are durable. A large literal was
/// streamed into the store while it arrived (<see cref="StreamedLiteral"/>); a refused APPEND deletes what it stored.
/// A literal8 (RFC 3516 §4.4), never streamed, has its binary parts base64-encoded first (<see cref="BinaryAppend"/>).
/// </summary>
public sealed class AppendHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["APPEND"];

    /// <summary>The summary the grain stores; a message MimeKit cannot parse at all still gets filed, with an empty summary.</summary>
    private static MessageSummary Summary(ReadOnlyMemory<byte> message)
    {
        try
        {
            return MessageSummaryReader.Read(message);
        }
        catch (FormatException)
        {
            return new MessageSummary("", [], [], "", null, null, [], "", false);
        }
    }

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var append = (AppendCommand)command;
        var streamed = append.Message.IsEmpty ? session.PeekStreamedLiteral() : null;
        if (streamed?.Failure is { } failure)
        {
            session.TakeStreamedLiteral();
            session.Logger.LogError(failure, "Session {Session}: APPEND could not store its literal", session.Id);
            return ImapResult.No("The message could not be stored, try again later", "SERVERBUG");
        }
        var length = streamed?.Length ?? append.Message.Length;
        if (length == 0) return ImapResult.No("Empty message");
        var message = append.Binary && BinaryAppend.Encode(append.Message) is { } encoded ? encoded : append.Message;
        if (streamed is null) length = message.Length;
        var name = session.DecodeMailbox(append.Mailbox);
        var folders = await session.Mailbox.ListFoldersAsync();
        var folder = folders.FirstOrDefault(f => StatusHandler.SameName(f.Name, name));
        if (folder is null) return ImapResult.No($"Mailbox {name} does not exist", "TRYCREATE");
        if (!StoreHandler.TryCheckFlags(append.Flags, out var flags, out var bad)) return ImapResult.Bad(bad!);
        var account = session.Account!;
        var quota = await session.Mailbox.GetQuotaAsync();
        if (quota.UsedBytes + length > quota.LimitBytes) return ImapResult.No("Mailbox is over quota", "OVERQUOTA");
        var blob = streamed is not null
            ? session.TakeStreamedLiteral()!.Blob!
            : await session.Blobs.PutAsync(account.TenantId, new MemoryStream(message.ToArray(), writable: false), ct);
        try
        {
            var result = await session.Mailbox.DeliverAsync(new MessageDelivery(
                "imap-append/" + Guid.NewGuid().ToString("N"), folder.Name, new StoredBlob(account.TenantId, blob.Name, blob.Length),
                Summary(streamed?.Prefix ?? message), flags, [], append.InternalDate ?? DateTimeOffset.UtcNow));
            var record = await session.Mailbox.GetMessageAsync(result.MessageId);
            return ImapResult.Ok("APPEND completed", record is null ? null : $"APPENDUID {folder.UidValidity} {record.Uid}");
        }
        catch (MailException e)
        {
            // A refusal wrote nothing, so nothing references the blob. (Any other failure may have committed: the
            // blob is left to the collector, which deletes it after the grace period if no row references it.)
            await session.Blobs.DeleteAsync(account.TenantId, blob, CancellationToken.None);
            return MailErrors.ToResult(e);
        }
    }
}
