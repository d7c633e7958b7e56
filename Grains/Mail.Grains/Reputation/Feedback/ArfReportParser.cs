using System.Net;
using MimeKit;

namespace Mail.Grains.Reputation.Feedback;

/// <summary>
/// Reads complaint reports in the Abuse Reporting Format (RFC 5965): a <c>multipart/report; report-type=feedback-report</c>
/// whose second part is <c>message/feedback-report</c> and third the reported message (<c>message/rfc822</c>) or its
/// header (<c>text/rfc822-headers</c>), §2. Tolerant as real reporters need: the report one level inside
/// multipart/mixed, fields in any case, a missing optional field; redacted addresses (RFC 6590) simply do not match.
/// Anything else gives null.
/// </summary>
public static class ArfReportParser
{
    // One complaint names one recipient; a report listing thousands is not one we act on blindly.
    private const int MaxRecipients = 100;

    /// <summary>The report in <paramref name="message"/>, or null when it is not an ARF report with a Feedback-Type.</summary>
    public static ArfReport? Parse(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (ReportOf(message.Body) is not { } report) return null;
        var fields = report.OfType<MessageFeedbackReport>().FirstOrDefault()?.Fields;
        var feedbackType = fields?["Feedback-Type"]?.Trim().ToLowerInvariant();
        if (fields is null || string.IsNullOrEmpty(feedbackType)) return null;

        var original = report.OfType<MessagePart>().FirstOrDefault()?.Message;
        var recipients = original is null
            ? []
            : original.To.Mailboxes.Concat(original.Cc.Mailboxes).Select(m => m.Address).Take(MaxRecipients).ToArray();
        return new ArfReport(
            feedbackType.Split([' ', ';', '('], 2)[0],
            fields["User-Agent"]?.Trim(),
            Angle(fields["Original-Mail-From"]),
            fields.Where(f => f.Field.Equals("Original-Rcpt-To", StringComparison.OrdinalIgnoreCase))
                .Select(f => Angle(f.Value)).OfType<string>().Take(MaxRecipients).ToArray(),
            SourceIp(fields["Source-IP"]),
            Angle(original?.Headers[HeaderId.ReturnPath]),
            recipients,
            original?.MessageId);
    }

    // RFC 5965 §2: the report is the top-level multipart/report; gateways that wrap it in multipart/mixed are read one level down.
    private static MultipartReport? ReportOf(MimeEntity? body)
    {
        if (body is MultipartReport top && IsFeedback(top)) return top;
        return body is Multipart mixed ? mixed.OfType<MultipartReport>().FirstOrDefault(IsFeedback) : null;
    }

    private static bool IsFeedback(MultipartReport report) =>
        string.Equals(report.ReportType, "feedback-report", StringComparison.OrdinalIgnoreCase);

    private static string? Angle(string? value)
    {
        if (value is null) return null;
        var text = value.Trim();
        if (text.StartsWith('<'))
        {
            var close = text.IndexOf('>');
            text = close > 0 ? text[1..close] : text[1..];
        }
        text = text.Trim();
        return text.Length > 0 ? text : null;
    }

    // §3.2 Source-IP is an address literal; some reporters add brackets or a comment.
    private static string? SourceIp(string? value)
    {
        var text = value?.Trim().Split([' ', '('], 2)[0].Trim('[', ']');
        return text is not null && IPAddress.TryParse(text, out var address) ? address.ToString() : null;
    }
}
