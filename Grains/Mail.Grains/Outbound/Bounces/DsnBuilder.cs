using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Mail.Grains.Outbound.Bounces;

/// <summary>Builds a delivery status notification: multipart/report of RFC 6522 carrying RFC 3464 delivery-status.</summary>
public static class DsnBuilder
{
    /// <summary>Most bytes of the original header block returned in text/rfc822-headers; the cut is at a field boundary.</summary>
    public const int MaxOriginalHeaderBytes = 64 * 1024;

    /// <summary>Subject when any recipient failed.</summary>
    public const string FailedSubject = "Undelivered Mail Returned to Sender";

    /// <summary>Subject when recipients are only delayed.</summary>
    public const string DelayedSubject = "Delayed Mail (still being retried)";

    /// <summary>Subject of a success notice (NOTIFY=SUCCESS, RFC 3461 §4.1).</summary>
    public const string SuccessSubject = "Successful Mail Delivery Report";

    private static readonly FormatOptions Wire = Format(NewLineFormat.Dos);
    private static readonly FormatOptions Lf = Format(NewLineFormat.Unix);

    /// <summary>The DSN for <paramref name="report"/>. Whether one may be sent (never to a null sender, RFC 5321 §4.5.5) is the caller's rule.</summary>
    public static MimeMessage Build(DsnReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Validate(report);
        var host = report.ReportingMta;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{host}"));
        message.To.Add(new MailboxAddress("", report.NotifiedSender));
        message.Subject = Subject(report.Recipients);
        message.Date = report.Date ?? DateTimeOffset.UtcNow;
        message.MessageId = MimeUtils.GenerateMessageId(host);
        // RFC 3834 §5: marks the DSN as automatic, so auto-responders and our own Sieve vacation never answer it.
        message.Headers.Add("Auto-Submitted", "auto-replied");
        if (MessageIdOf(report.OriginalMessageId) is { } originalId)
        {
            message.InReplyTo = originalId;
            message.References.Add(originalId);
        }

        var body = new MultipartReport("delivery-status")
        {
            HumanPart(report),
            DeliveryStatus(report),
            OriginalHeaders(report.OriginalHeaders.Span),
        };
        message.Body = body;
        return message;
    }

    /// <summary>The DSN as wire bytes: CRLF line ends, ready for the outbound queue.</summary>
    public static byte[] ToBytes(MimeMessage dsn)
    {
        ArgumentNullException.ThrowIfNull(dsn);
        using var stream = new MemoryStream();
        dsn.WriteTo(Wire, stream);
        return stream.ToArray();
    }

    private static FormatOptions Format(NewLineFormat newLine)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = newLine;
        return options;
    }

    private static void Validate(DsnReport report)
    {
        if (string.IsNullOrWhiteSpace(report.ReportingMta) || !report.ReportingMta.All(c => c is > ' ' and <= '~' and not '<' and not '>' and not '@'))
            throw new ArgumentException("Reporting MTA must be an ASCII host name.", nameof(report));
        if (string.IsNullOrWhiteSpace(report.NotifiedSender) || DsnText.Clean(report.NotifiedSender) != report.NotifiedSender)
            throw new ArgumentException("Notified sender must be a non-null address without white space or controls.", nameof(report));
        if (report.Recipients is null || report.Recipients.Count == 0)
            throw new ArgumentException("A DSN reports at least one recipient (RFC 3464 §2.1).", nameof(report));
        foreach (var recipient in report.Recipients)
        {
            if (!DeliveryStatusCodes.IsValid(recipient.Status))
                throw new ArgumentException($"Status \"{recipient.Status}\" is not an RFC 3463 code.", nameof(report));
            if (string.IsNullOrWhiteSpace(recipient.FinalRecipient))
                throw new ArgumentException("Every recipient needs a Final-Recipient (RFC 3464 §2.3.2).", nameof(report));
        }
    }

    private static string Subject(IReadOnlyList<DsnRecipient> recipients) =>
        recipients.Any(r => r.Action == DsnAction.Failed) ? FailedSubject
        : recipients.Any(r => r.Action == DsnAction.Delayed) ? DelayedSubject
        : SuccessSubject;

    // Message-IDs come from stored headers: keep one only if it is a plain id-left@id-right token.
    private static string? MessageIdOf(string? value)
    {
        var id = value?.Trim().TrimStart('<').TrimEnd('>');
        return id is { Length: > 0 } && id.All(c => c is > ' ' and <= '~' and not '<' and not '>') ? id : null;
    }

    private static TextPart HumanPart(DsnReport report)
    {
        var text = new StringBuilder();
        text.Append("This is the mail system at host ").Append(report.ReportingMta).Append(".\n\n");
        var failed = report.Recipients.Where(r => r.Action == DsnAction.Failed).ToList();
        var delayed = report.Recipients.Where(r => r.Action == DsnAction.Delayed).ToList();
        var done = report.Recipients.Where(r => r.Action is not (DsnAction.Failed or DsnAction.Delayed)).ToList();
        var subject = report.OriginalSubject is { } s ? $" with subject \"{DsnText.Clean(s, 200)}\"" : "";
        if (failed.Count > 0)
        {
            text.Append("Your message").Append(subject).Append(" could not be delivered to one or more\n")
                .Append("recipients. This is a permanent error; the mail system has given up.\n")
                .Append("The headers of your message are attached below.\n\n");
            Describe(text, failed);
        }
        if (delayed.Count > 0)
        {
            text.Append("Your message").Append(subject).Append(" has not been delivered yet to the recipients\n")
                .Append("below. The mail system keeps trying; you do not need to send it again.\n\n");
            Describe(text, delayed);
        }
        if (done.Count > 0)
        {
            text.Append("Your message").Append(subject).Append(" was delivered, as you asked to be told, to:\n\n");
            Describe(text, done);
        }
        text.Append("For further help, write to postmaster and include this report.\n");

        var body = text.ToString();
        var part = new TextPart("plain");
        part.SetText(Encoding.UTF8, body);
        // The DSN may relay through servers without 8BITMIME (RFC 6152); 7bit allows lines up to 998 (RFC 5322 §2.1.1).
        part.ContentTransferEncoding = body.All(c => c < 128) && body.Split('\n').All(l => l.Length <= 998)
            ? ContentEncoding.SevenBit
            : ContentEncoding.QuotedPrintable;
        part.ContentDescription = "Notification";
        return part;
    }

    private static void Describe(StringBuilder text, IEnumerable<DsnRecipient> recipients)
    {
        foreach (var r in recipients)
        {
            text.Append('<').Append(DsnText.Clean(r.FinalRecipient, 320)).Append(">: ");
            if (r.DiagnosticCode is { } reply)
                text.Append(r.RemoteMta is { } mta ? $"host {DsnText.Clean(mta, 255)} said: " : "the mail system said: ").Append(DsnText.JoinReply(reply));
            else
                text.Append("status ").Append(r.Status);
            if (r.Action == DsnAction.Delayed && r.WillRetryUntil is { } until)
                text.Append(" (retrying until ").Append(DateUtils.FormatDate(until)).Append(')');
            text.Append("\n\n");
        }
    }

    // RFC 3464 §2.2 per-message fields, then one §2.3 group per recipient, groups separated by one blank line.
    private static MessageDeliveryStatus DeliveryStatus(DsnReport report)
    {
        var perMessage = new HeaderList { { "Reporting-MTA", "dns; " + report.ReportingMta } };
        if (report.OriginalEnvelopeId is { } envid && DsnText.Ascii(envid) is { Length: > 0 } cleanEnvid)
            perMessage.Add("Original-Envelope-Id", cleanEnvid);
        perMessage.Add("Arrival-Date", DateUtils.FormatDate(report.ArrivalDate));
        var groups = new List<HeaderList> { perMessage };

        foreach (var r in report.Recipients)
        {
            var fields = new HeaderList();
            if (r.OriginalRecipient is { } original && DsnText.Clean(original, 330) is { Length: > 0 } cleanOriginal)
                fields.Add("Original-Recipient", cleanOriginal.Contains(';') ? DsnText.Ascii(cleanOriginal) : DsnText.TypedAddress(cleanOriginal));
            fields.Add("Final-Recipient", DsnText.TypedAddress(r.FinalRecipient));
            fields.Add("Action", r.Action.ToString().ToLowerInvariant());
            fields.Add("Status", r.Status);
            if (r.RemoteMta is { } mta && DsnText.Ascii(mta) is { Length: > 0 } cleanMta)
                fields.Add("Remote-MTA", "dns; " + cleanMta);
            if (r.DiagnosticCode is { } reply && DsnText.Ascii(DsnText.JoinReply(reply)) is { Length: > 0 } cleanReply)
                fields.Add("Diagnostic-Code", "smtp; " + cleanReply);
            fields.Add("Last-Attempt-Date", DateUtils.FormatDate(r.LastAttemptDate));
            if (r.Action == DsnAction.Delayed && r.WillRetryUntil is { } until)
                fields.Add("Will-Retry-Until", DateUtils.FormatDate(until));
            groups.Add(fields);
        }

        // Written here rather than through StatusGroups: MimeKit ends every group, the last one too, with a blank
        // line, and that line next to the boundary's own CRLF reads back as an empty extra group (MimeKit and
        // Python both see one). The header lists still do the field folding; ToBytes turns LF into CRLF.
        var content = new MemoryStream();
        foreach (var group in groups)
            group.WriteTo(Lf, content);
        content.SetLength(content.Length - 1); // the last group's blank line
        content.Position = 0;
        return new MessageDeliveryStatus { Content = new MimeContent(content), ContentDescription = "Delivery report" };
    }

    // RFC 6522 §4: the returned headers only, never the body (it may be large, and returning content to a
    // forged sender would make us a reflector). A block given with a body is cut at its first blank line.
    private static TextRfc822Headers OriginalHeaders(ReadOnlySpan<byte> stored)
    {
        var block = HeaderBlock(stored);
        using var stream = new MemoryStream(block.Length + 2);
        stream.Write(block);
        stream.Write("\r\n"u8);
        stream.Position = 0;
        var original = MimeMessage.Load(stream);
        return new TextRfc822Headers { Message = original };
    }

    private static ReadOnlySpan<byte> HeaderBlock(ReadOnlySpan<byte> stored)
    {
        var end = stored.Length;
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i] != '\n') continue;
            var next = i + 1;
            if (next < stored.Length && stored[next] == '\r') next++;
            if (next >= stored.Length || stored[next] == '\n')
            {
                end = i + 1;
                break;
            }
        }
        var block = stored[..end];
        if (block.Length <= MaxOriginalHeaderBytes) return block;
        // Cut before the last field that starts within the bound, so no field is returned half.
        var cut = MaxOriginalHeaderBytes;
        while (cut > 0 && !(block[cut - 1] == '\n' && block[cut] is not (byte)' ' and not (byte)'\t')) cut--;
        return block[..cut];
    }
}
