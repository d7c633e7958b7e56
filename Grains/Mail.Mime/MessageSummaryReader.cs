using System.Text;
using System.Text.RegularExpressions;
using Mail.Grains.Interfaces.Mailboxes;
using MimeKit;

namespace Mail.Mime;

/// <summary>Parses the envelope summary of an RFC 5322 message with MimeKit: addresses, subject, date, ids, preview, attachments.</summary>
public static class MessageSummaryReader
{
    /// <summary>How much of a message is parsed for its summary.</summary>
    public const int ParsedPrefixBytes = 64 * 1024;

    /// <summary>Longest preview kept, in characters.</summary>
    public const int PreviewLength = 200;

    private static readonly Regex ScriptOrStyle = new("<(?:script[^>]*>.*?</script|style[^>]*>.*?</style)>",
        RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static readonly Regex Tag = new("<[^>]+>", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>Parses the summary, and the header cache, from the first bytes of a message (at most <see cref="ParsedPrefixBytes"/>).</summary>
    public static MessageSummary Read(ReadOnlyMemory<byte> prefix)
    {
        var bounded = prefix.Length > ParsedPrefixBytes ? prefix[..ParsedPrefixBytes] : prefix;
        using var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bounded, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bounded.ToArray(), writable: false);
        MessageSummary summary;
        try
        {
            summary = Read(MimeMessage.Load(stream));
        }
        catch (FormatException)
        {
            // An empty or header-less message is still mail to deliver; it just has nothing to summarize.
            summary = Read(new MimeMessage());
        }
        return summary with { CachedHeader = HeaderCache.Extract(bounded.Span) };
    }

    /// <summary>Reads the summary from a parsed message.</summary>
    public static MessageSummary Read(MimeMessage message)
    {
        var references = new List<string>();
        if (message.InReplyTo is { Length: > 0 } inReplyTo) references.Add(inReplyTo);
        foreach (var id in message.References) if (!references.Contains(id)) references.Add(id);
        return new MessageSummary(
            From: message.From.ToString(),
            To: message.To.Mailboxes.Select(m => m.ToString()).ToArray(),
            Cc: message.Cc.Mailboxes.Select(m => m.ToString()).ToArray(),
            Subject: message.Subject ?? "",
            Date: message.Headers.Contains(HeaderId.Date) ? message.Date : null,
            MessageIdHeader: string.IsNullOrEmpty(message.MessageId) ? null : message.MessageId,
            References: references,
            Preview: Preview(message),
            HasAttachments: message.Attachments.Any());
    }

    private static string Preview(MimeMessage message)
    {
        var text = message.TextBody;
        if (text is null && message.HtmlBody is { } html)
        {
            text = HtmlText(html);
        }
        if (string.IsNullOrEmpty(text)) return "";
        var builder = new StringBuilder(PreviewLength);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                if (builder.Length + 1 >= PreviewLength) break;
                builder.Append(' ');
            }
            space = false;
            if (builder.Length >= PreviewLength) break;
            builder.Append(c);
        }
        return builder.Length > PreviewLength ? builder.ToString(0, PreviewLength) : builder.ToString();
    }

    /// <summary>
    /// The text of an HTML body, good enough for a preview line and the search index: drops tags, scripts and styles (the
    /// full view sanitizes properly). The HTML is the sender's: the non-backtracking engine keeps it linear in its length.
    /// </summary>
    public static string HtmlText(string html)
    {
        var withoutBlocks = ScriptOrStyle.Replace(html, " ");
        var withoutTags = Tag.Replace(withoutBlocks, " ");
        return System.Net.WebUtility.HtmlDecode(withoutTags);
    }
}
