using System.Text;
using MimeKit;

namespace Mail.Mime;

/// <summary>
/// What the search index reads from a message besides its row: body text (text parts, and HTML parts as text),
/// attachment file names, and the headers the row does not keep (Bcc, List-Id, Delivered-To).
/// </summary>
public static class SearchTextReader
{
    /// <summary>Reads <paramref name="message"/>; body text is cut at <paramref name="maxBodyChars"/> (0 leaves bodies out).</summary>
    public static SearchText Read(MimeMessage message, int maxBodyChars)
    {
        var body = new StringBuilder();
        var names = new List<string>();
        foreach (var part in message.BodyParts)
        {
            if (part is MimePart { FileName: { Length: > 0 } name } && (part.IsAttachment || part is not TextPart))
            {
                names.Add(name);
                continue;
            }
            if (maxBodyChars <= 0 || body.Length >= maxBodyChars || part is not TextPart text || part.IsAttachment) continue;
            string content;
            try
            {
                content = text.IsHtml ? MessageSummaryReader.HtmlText(text.Text) : text.IsPlain ? text.Text : "";
            }
            catch (Exception e) when (e is NotSupportedException or ArgumentException or FormatException)
            {
                continue; // an unknown charset or broken encoding: the part is left out, the message is still indexed
            }
            if (content.Length == 0) continue;
            if (body.Length > 0) body.Append('\n');
            body.Append(content, 0, Math.Min(content.Length, maxBodyChars - body.Length));
        }
        return new SearchText(
            body.ToString(),
            names,
            message.Bcc.Mailboxes.Select(m => m.ToString()).ToArray(),
            message.Headers[HeaderId.ListId] ?? "",
            string.Join(' ', message.Headers.Where(h => h.Field.Equals("Delivered-To", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value.Trim())));
    }
}

/// <summary>The searchable text of a message that is not in its row.</summary>
public sealed record SearchText(string Body, IReadOnlyList<string> AttachmentNames, IReadOnlyList<string> Bcc, string ListId, string DeliveredTo);
