using Mail.Mime;

namespace Mail.Fuzz.Targets;

/// <summary>
/// The MIME summary every frontend and the delivery agent store with a message (MimeKit over the first 64 KiB,
/// RFC 5322, RFC 2045-2049), and the From reader the submission rule uses (RFC 5322 §3.6.2): any bytes at all are
/// mail to deliver, so neither may throw.
/// </summary>
public static class MimeSummaryTarget
{
    /// <summary>Reads the summary and the From mailboxes of <paramref name="input"/> as a message.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        var bytes = input.ToArray();
        var summary = MessageSummaryReader.Read(bytes);
        FuzzInvariantException.Check(summary.Preview.Length <= MessageSummaryReader.PreviewLength, "preview over its bound");
        FuzzInvariantException.Check(summary.CachedHeader is null || summary.CachedHeader.Length <= HeaderCache.MaxBytes, "header cache over its bound");
        FuzzInvariantException.Check(summary.Subject is not null && summary.From is not null, "summary without subject or from");
        if (HeaderFromReader.Read(bytes) is { } from)
        {
            FuzzInvariantException.Check(from.All(a => a is not null), "null From address");
        }
    }
}
