using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// APPEND (RFC 9051 §6.3.12): stores each message in the blob store, files it through the mailbox grain, and answers
/// OK [APPENDUID uidvalidity uid-set] (UIDPLUS, RFC 4315 §3) only once all are durable. Several messages are MULTIAPPEND
/// (RFC 3502): all are filed or none (a refusal part-way expunges the ones already filed before the NO). A CATENATE message
/// (RFC 4469) is assembled from its parts first (<see cref="CatenateAssembler"/>). A large literal was streamed into the
/// store while it arrived (<see cref="StreamedLiteral"/>); a refused APPEND deletes what it stored. A literal8 (RFC 3516
/// §4.4), never streamed, has its binary parts base64-encoded first (<see cref="BinaryAppend"/>).
/// </summary>
public sealed class AppendHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["APPEND"];

    /// <summary>The summary the grain stores; a message MimeKit cannot parse at all still gets filed, with an empty summary.</summary>
    internal static MessageSummary Summary(ReadOnlyMemory<byte> message)
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

    /// <summary>One message ready to file: its content in memory or already streamed into a blob.</summary>
    private sealed record Prepared(AppendMessage Source, IReadOnlyList<string> Flags, ReadOnlyMemory<byte> Content, StreamedLiteral? Streamed)
    {
        public long Length => Streamed?.Length ?? Content.Length;
    }

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var append = (AppendCommand)command;
        // Literals streamed for this command stand, in order, for the messages left empty in it; whatever is not filed
        // is deleted when the next command is read.
        var streamedCount = append.Messages.Count(m => m.Catenate is null && m.Message.IsEmpty);
        var streamed = new List<StreamedLiteral>();
        while (session.PeekStreamedLiteral() is not null) streamed.Add(session.TakeStreamedLiteral()!);
        var handedOver = false;
        try
        {
            if (streamed.FirstOrDefault(s => s.Failure is not null) is { } failed)
            {
                session.Logger.LogError(failed.Failure, "Session {Session}: APPEND could not store its literal", session.Id);
                return ImapResult.No("The message could not be stored, try again later", "SERVERBUG");
            }
            if (streamed.Count != streamedCount) return ImapResult.No("Empty message");
            var name = session.DecodeMailbox(append.Mailbox);
            var target = await session.ResolveAsync(name);
            if (target is null) return ImapResult.No($"Mailbox {name} does not exist", "NONEXISTENT");
            // RFC 4314 §4: APPEND takes "i"; the flags it sets are only those the session may set there.
            if (!target.Has('i')) return ImapResult.No($"No right to append to {name}", "NOPERM");
            var folders = await target.Grain.ListFoldersAsync();
            var folder = folders.FirstOrDefault(f => StatusHandler.SameName(f.Name, target.Folder));
            if (folder is null) return ImapResult.No($"Mailbox {name} does not exist", "TRYCREATE");
            // CATENATE's URLs name the session's own mailboxes (RFC 4469 §5).
            var ownFolders = target.Shared ? await session.Mailbox.ListFoldersAsync() : folders;
            var prepared = new List<Prepared>(append.Messages.Count);
            foreach (var message in append.Messages)
            {
                if (!StoreHandler.TryCheckFlags(message.Flags, out var checkedFlags, out var bad)) return ImapResult.Bad(bad!);
                if (message.Utf8 && !session.Utf8Accept) return ImapResult.Bad("APPEND UTF8 needs ENABLE UTF8=ACCEPT (RFC 6855 §4)");
                var flags = FlagRights.Permitted(target, checkedFlags);
                if (message.Catenate is { } parts)
                {
                    var (content, refusal) = await CatenateAssembler.AssembleAsync(session, parts, ownFolders, session.Options.MaxLiteralBytes, ct);
                    if (refusal is not null) return refusal;
                    prepared.Add(new Prepared(message, flags, content!, null));
                }
                else if (message.Message.IsEmpty)
                {
                    prepared.Add(new Prepared(message, flags, ReadOnlyMemory<byte>.Empty, streamed[prepared.Count(p => p.Streamed is not null)]));
                }
                else
                {
                    var content = message.Binary && BinaryAppend.Encode(message.Message) is { } encoded ? encoded : message.Message;
                    prepared.Add(new Prepared(message, flags, content, null));
                }
                if (prepared[^1].Length == 0) return ImapResult.No("Empty message");
            }
            var quota = await target.Grain.GetQuotaAsync();
            if (quota.UsedBytes + prepared.Sum(p => p.Length) > quota.LimitBytes) return ImapResult.No("Mailbox is over quota", "OVERQUOTA");
            handedOver = true;
            return await FileAsync(session, target.Grain, folder, prepared, ct);
        }
        finally
        {
            // Streamed blobs of a refusal before filing: nothing references them.
            foreach (var left in handedOver ? [] : streamed)
            {
                if (left.Blob is { } blob) await session.Blobs.DeleteAsync(session.Account!.TenantId, blob, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// The UID of a message just filed, or null when it cannot be read. The message is stored by then, so no failure here
    /// may turn the answer into NO (RFC 9051 §6.3.12: NO says nothing was appended, and a client would append it again);
    /// the OK then goes without APPENDUID. Seen in the chaos bench: the grain's silo died between the commit and this read.
    /// </summary>
    private static async Task<long?> UidOfAsync(ImapSession session, IMailboxGrain mailbox, long messageId)
    {
        try
        {
            return (await mailbox.GetMessageAsync(messageId))?.Uid;
        }
        catch (Exception e)
        {
            session.Logger.LogWarning(e, "APPEND: message {MessageId} is stored but its UID could not be read; answering OK without APPENDUID", messageId);
            return null;
        }
    }

    /// <summary>Files the messages in order; a refusal part-way expunges the ones filed before it (RFC 3502 §6.3.11: all or none).</summary>
    private static async Task<ImapResult> FileAsync(ImapSession session, IMailboxGrain mailbox, FolderInfo folder, List<Prepared> prepared, CancellationToken ct)
    {
        var account = session.Account!;
        var filed = new List<long>(prepared.Count);
        var uids = new List<long>(prepared.Count);
        for (var i = 0; i < prepared.Count; i++)
        {
            var item = prepared[i];
            var blob = item.Streamed?.Blob
                ?? await session.Blobs.PutAsync(account.TenantId, new MemoryStream(item.Content.ToArray(), writable: false), ct);
            DeliveryResult result;
            try
            {
                result = await mailbox.DeliverAsync(new MessageDelivery(
                    "imap-append/" + Guid.NewGuid().ToString("N"), folder.Name, new StoredBlob(account.TenantId, blob.Name, blob.Length),
                    Summary(item.Streamed?.Prefix ?? item.Content), item.Flags, [], item.Source.InternalDate ?? DateTimeOffset.UtcNow));
            }
            catch (MailException e)
            {
                // A refusal wrote nothing, so nothing references this blob, nor the blobs of the messages not reached.
                // (Any other failure may have committed: the blob is left to the collector, which deletes it after the
                // grace period if no row references it.)
                await session.Blobs.DeleteAsync(account.TenantId, blob, CancellationToken.None);
                for (var j = i + 1; j < prepared.Count; j++)
                {
                    if (prepared[j].Streamed?.Blob is { } later) await session.Blobs.DeleteAsync(account.TenantId, later, CancellationToken.None);
                }
                foreach (var messageId in filed) await mailbox.ExpungeMessageAsync(messageId);
                return MailErrors.ToResult(e);
            }
            filed.Add(result.MessageId);
            if (await UidOfAsync(session, mailbox, result.MessageId) is { } uid) uids.Add(uid);
        }
        if (uids.Count != prepared.Count) return ImapResult.Ok("APPEND completed");
        return ImapResult.Ok("APPEND completed", $"APPENDUID {folder.UidValidity} {(uids.Count == 1 ? uids[0].ToString() : SequenceSet.Format(uids))}");
    }
}
