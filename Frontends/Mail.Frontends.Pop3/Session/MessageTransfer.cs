using System.Buffers;
using Mail.Frontends.Pop3.Protocol;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// Sends a message (RETR) or its top (TOP) as a multi-line response: the content streams from the blob store
/// through the dot-stuffing encoder in small chunks, with the connection's backpressure, and is never held
/// in memory whole.
/// </summary>
public static class MessageTransfer
{
    private const int ChunkBytes = 32 * 1024;

    /// <summary>
    /// Sends message <paramref name="number"/>; with <paramref name="top"/>, only as much as it lets through.
    /// The content is opened before "+OK", so a message removed by another client or a missing blob is a
    /// clean "-ERR"; a failure after "+OK" can only end the connection, which the client sees as no "." line.
    /// </summary>
    public static async Task SendAsync(Pop3Session session, int number, TopFilter? top, CancellationToken ct)
    {
        var maildrop = session.Maildrop!;
        var messageId = maildrop.MessageId(number);
        var record = await maildrop.Mailbox.GetMessageAsync(messageId);
        if (record is null || record.Uid != maildrop.Uid(number) || !string.Equals(record.Folder, SpecialFolders.Inbox, StringComparison.OrdinalIgnoreCase))
        {
            session.Reply(Pop3Response.Error($"message {number} was removed by another session"));
            return;
        }
        Stream content;
        try
        {
            content = await session.Blobs.OpenReadAsync(record.Blob.TenantId, new BlobRef(record.Blob.Name, record.Blob.Length), ct);
        }
        catch (BlobNotFoundException e)
        {
            session.Logger.LogError(e, "Session {Session}: content of message {MessageId} is missing", session.Id, messageId);
            session.Reply(Pop3Responses.TryAgain);
            return;
        }
        await using (content)
        {
            session.Reply(Pop3Response.Success(top is null ? $"{record.Size} octets" : "top of message follows"));
            var encoder = new DotStuffingEncoder();
            var output = session.Transport.Output;
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
            // A client that stops reading must not keep its session open for ever: each chunk must drain within the command timeout.
            using var stalled = CancellationTokenSource.CreateLinkedTokenSource(ct);
            try
            {
                while (top is not { Done: true })
                {
                    int read;
                    try
                    {
                        read = await content.ReadAsync(buffer.AsMemory(0, ChunkBytes), ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        session.Logger.LogError(e, "Session {Session}: reading message {MessageId} failed after +OK; closing", session.Id, messageId);
                        session.Closing = true;
                        return;
                    }
                    if (read == 0) break;
                    var take = top?.Take(buffer.AsSpan(0, read)) ?? read;
                    encoder.Encode(buffer.AsSpan(0, take), output);
                    stalled.CancelAfter(session.CommandTimeout);
                    await session.FlushAsync(stalled.Token);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            encoder.Complete(output);
        }
    }
}
