namespace Mail.Grains.Outbound.Smtp;

/// <summary>
/// One message to send in one SMTP transaction: the envelope (an empty <paramref name="ReturnPath"/> is the null
/// sender of RFC 5321 §4.5.5), header fields to put in front of the stored bytes (CRLF-terminated, e.g. a
/// DKIM-Signature), and the stored RFC 5322 bytes, opened on demand and streamed. <paramref name="Size"/> is the
/// length of the stored bytes without the prefix.
/// </summary>
public sealed record OutboundMessage(
    string ReturnPath,
    IReadOnlyList<string> Recipients,
    byte[]? Prefix,
    Func<CancellationToken, Task<Stream>> OpenContent,
    long Size)
{
    /// <summary>Bytes that go on the wire before dot-stuffing: prefix plus content (the SIZE= value, RFC 1870 §3).</summary>
    public long TotalSize => (Prefix?.Length ?? 0) + Size;
}
