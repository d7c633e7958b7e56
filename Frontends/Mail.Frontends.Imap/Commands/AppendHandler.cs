using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// APPEND (RFC 9051 §6.3.12): stores the literal in the blob store, files it through the mailbox grain, and
/// answers OK [APPENDUID uidvalidity uid] (UIDPLUS, RFC 4315 §3) only once both are durable. A literal8 (RFC 3516 §4.4)
/// has its binary parts base64-encoded first (<see cref="BinaryAppend"/>).
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
        if (append.Message.IsEmpty) return ImapResult.No("Empty message");
        var message = append.Binary && BinaryAppend.Encode(append.Message) is { } encoded ? encoded : append.Message;
        var name = session.DecodeMailbox(append.Mailbox);
        var folders = await session.Mailbox.ListFoldersAsync();
        var folder = folders.FirstOrDefault(f => StatusHandler.SameName(f.Name, name));
        if (folder is null) return ImapResult.No($"Mailbox {name} does not exist", "TRYCREATE");
        if (!StoreHandler.TryCheckFlags(append.Flags, out var flags, out var bad)) return ImapResult.Bad(bad!);
        var account = session.Account!;
        var quota = await session.Mailbox.GetQuotaAsync();
        if (quota.UsedBytes + message.Length > quota.LimitBytes) return ImapResult.No("Mailbox is over quota", "OVERQUOTA");
        var blob = await session.Blobs.PutAsync(account.TenantId, new MemoryStream(message.ToArray(), writable: false), ct);
        try
        {
            var result = await session.Mailbox.DeliverAsync(new MessageDelivery(
                "imap-append/" + Guid.NewGuid().ToString("N"), folder.Name, new StoredBlob(account.TenantId, blob.Name, blob.Length),
                Summary(message), flags, [], append.InternalDate ?? DateTimeOffset.UtcNow));
            var record = await session.Mailbox.GetMessageAsync(result.MessageId);
            return ImapResult.Ok("APPEND completed", record is null ? null : $"APPENDUID {folder.UidValidity} {record.Uid}");
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
    }
}
