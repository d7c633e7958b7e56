using System.IO.Pipelines;
using Mail.Frontends.Hosting;
using Mail.Mime;
using Mail.Storage.Blobs;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// An APPEND message literal streamed into the blob store as it arrived, as SMTP DATA is: never whole in memory. The
/// blob is durable once this exists; the APPEND handler files it (and answers OK only then), or it is deleted when
/// the command ends without filing it. <see cref="Failure"/> says why the store refused it, when it did.
/// </summary>
public sealed class StreamedLiteral
{
    private StreamedLiteral(BlobRef? blob, long length, ReadOnlyMemory<byte> prefix, Exception? failure) =>
        (Blob, Length, Prefix, Failure) = (blob, length, prefix, failure);

    /// <summary>The stored blob, unless the store failed.</summary>
    public BlobRef? Blob { get; }

    /// <summary>The literal's length in octets.</summary>
    public long Length { get; }

    /// <summary>The message's first octets (up to <see cref="MessageSummaryReader.ParsedPrefixBytes"/>), to summarize it without reading it back.</summary>
    public ReadOnlyMemory<byte> Prefix { get; }

    /// <summary>Why the blob could not be stored (the literal was read to its end all the same).</summary>
    public Exception? Failure { get; }

    /// <summary>Streams the next <paramref name="length"/> octets of <paramref name="input"/> into a blob of <paramref name="tenantId"/>.</summary>
    public static async Task<StreamedLiteral> ReceiveAsync(PipeReader input, long length, IBlobStore blobs, string tenantId, CancellationToken ct)
    {
        var literal = new LiteralReadStream(input, length, MessageSummaryReader.ParsedPrefixBytes);
        try
        {
            var blob = await blobs.PutAsync(tenantId, literal, ct);
            if (blob.Length == length) return new StreamedLiteral(blob, length, literal.Prefix, null);
            await blobs.DeleteAsync(tenantId, blob, CancellationToken.None);
            throw new InvalidOperationException($"The blob store kept {blob.Length} of the literal's {length} octets.");
        }
        catch (Exception e) when (!ProtocolConnectionHandler<ImapSession, Protocol.FrameStatus>.IsDisconnect(e))
        {
            await literal.DrainAsync(ct);
            return new StreamedLiteral(null, length, literal.Prefix, e);
        }
    }
}
