using Ganss.Xss;
using Mail.Frontends.Http.Api;
using Mail.Grains.Interfaces.Mailboxes;
using MimeKit;

namespace Mail.Frontends.Http.Messages;

/// <summary>Renders a stored message for the API: headers, text, sanitized HTML and the attachment list.</summary>
public static class MessageView
{
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>The parsed view of a message; <paramref name="authServId"/> is our MX's name in Authentication-Results.</summary>
    public static EmailDetail Render(MessageRecord record, MimeMessage message, string authServId) => new(
        EmailItem.Of(record),
        string.IsNullOrEmpty(message.MessageId) ? null : message.MessageId,
        string.IsNullOrEmpty(message.InReplyTo) ? null : message.InReplyTo,
        message.Headers.Select(h => new HeaderField(h.Field, h.Value)).ToArray(),
        message.TextBody,
        message.HtmlBody is { } html ? Sanitizer.Sanitize(html) : null,
        Attachments(message).Select((part, index) => new AttachmentInfo(index, FileName(part, index), part.ContentType.MimeType, DecodedSize(part))).ToArray(),
        AuthVerdictReader.Read(message, authServId));

    /// <summary>The attachments in document order; the index of one is its place in this list.</summary>
    public static IReadOnlyList<MimeEntity> Attachments(MimeMessage message) => message.Attachments.ToArray();

    /// <summary>A file name for an attachment, never empty.</summary>
    public static string FileName(MimeEntity part, int index) => part switch
    {
        MimePart { FileName: { Length: > 0 } name } => name,
        MessagePart => $"message-{index}.eml",
        _ => $"attachment-{index}",
    };

    /// <summary>Writes an attachment's decoded content.</summary>
    public static async Task WriteContentAsync(MimeEntity part, Stream output, CancellationToken ct)
    {
        switch (part)
        {
            case MimePart mime when mime.Content is not null:
                await mime.Content.DecodeToAsync(output, ct);
                break;
            case MessagePart { Message: { } embedded }:
                await embedded.WriteToAsync(output, ct);
                break;
        }
    }

    private static long DecodedSize(MimeEntity part)
    {
        using var counter = new MimeKit.IO.MeasuringStream();
        if (part is MimePart mime && mime.Content is not null) mime.Content.DecodeTo(counter);
        else if (part is MessagePart { Message: { } embedded }) embedded.WriteTo(counter);
        return counter.Length;
    }

    // Mail HTML is hostile by default: no scripts, no forms, no remote-loading tricks beyond images and links.
    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedSchemes.Add("cid");
        return sanitizer;
    }
}
