using Mail.Frontends.Http.Api;
using MimeKit;
using MimeKit.Utils;

namespace Mail.Frontends.Http.Messages;

/// <summary>Builds an RFC 5322 message with MimeKit from a send request, or says what is wrong with the request.</summary>
public static class OutgoingMessageBuilder
{
    /// <summary>The built message and its envelope recipients (to, cc and bcc; bcc is not in the headers).</summary>
    public sealed record Built(MimeMessage Message, IReadOnlyList<string> Recipients);

    /// <summary>Builds the message; returns an error text instead when the request is invalid. A <paramref name="draft"/> may have no recipient yet.</summary>
    public static (Built? Built, string? Error) Build(SendRequest request, string fromAddress, int maxRecipients, bool draft = false)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("", fromAddress));
        var recipients = new List<string>();
        foreach (var (list, target) in new[] { (request.To, message.To), (request.Cc, message.Cc), (request.Bcc, (InternetAddressList?)null) })
        {
            foreach (var text in list ?? [])
            {
                if (!MailboxAddress.TryParse(ParserOptions.Default, text ?? "", out var address) || !address.Address.Contains('@'))
                {
                    return (null, $"'{text}' is not a valid e-mail address.");
                }
                target?.Add(address);
                recipients.Add(address.Address);
            }
        }
        if (recipients.Count == 0 && !draft) return (null, "At least one recipient (to, cc or bcc) is required.");
        if (recipients.Count > maxRecipients) return (null, $"At most {maxRecipients} recipients are allowed per message.");

        message.Subject = request.Subject ?? "";
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = MimeUtils.GenerateMessageId(fromAddress[(fromAddress.LastIndexOf('@') + 1)..]);
        if (!string.IsNullOrWhiteSpace(request.InReplyTo)) message.InReplyTo = request.InReplyTo.Trim();
        foreach (var reference in request.References ?? []) message.References.Add(reference);

        var body = new BodyBuilder { TextBody = request.Text, HtmlBody = request.Html };
        if (body.TextBody is null && body.HtmlBody is null) body.TextBody = "";
        var index = 0;
        foreach (var attachment in request.Attachments ?? [])
        {
            if (string.IsNullOrWhiteSpace(attachment.Filename)) return (null, $"Attachment {index} has no filename.");
            if (!ContentType.TryParse(attachment.ContentType ?? "application/octet-stream", out var contentType))
            {
                return (null, $"Attachment {index} has an invalid content_type '{attachment.ContentType}'.");
            }
            byte[] content;
            try
            {
                content = Convert.FromBase64String(attachment.ContentBase64 ?? "");
            }
            catch (FormatException)
            {
                return (null, $"Attachment {index} ({attachment.Filename}): content_base64 is not valid base64.");
            }
            // Base64 keeps an attachment's bytes exact: a text/* part in 7bit or quoted-printable would have its
            // line endings made CRLF on the wire (RFC 2046 §4.1.1), changing what the recipient saves.
            if (body.Attachments.Add(attachment.Filename.Trim(), content, contentType) is MimePart part) part.ContentTransferEncoding = ContentEncoding.Base64;
            index++;
        }
        message.Body = body.ToMessageBody();
        return (new Built(message, recipients), null);
    }
}
