using System.Globalization;
using System.Text;
using MimeKit;

namespace Mail.Grains.Outbound.Bounces;

/// <summary>
/// Reads the recipient blocks of a DSN that arrived at a VERP address (RFC 3464 §2.3, RFC 6533 §3). Tolerant of
/// what real MTAs send: lower-case field names, folded lines, a missing Final-Recipient, the report nested one
/// level inside multipart/mixed. Anything that is not a DSN (auto-replies, vacation notices, MDNs, plain-text
/// bounces) gives an empty list, which the caller ignores.
/// </summary>
public static class BounceReportParser
{
    // A malicious "bounce" gains nothing from thousands of blocks; real DSNs report one message's recipients.
    private const int MaxRecipients = 1000;

    /// <summary>The reported recipients of <paramref name="message"/>, in report order; empty when it carries no delivery-status.</summary>
    public static IReadOnlyList<ReportedRecipient> Parse(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return StatusPart(message.Body) is { } part ? ParseFields(Decode(part)) : [];
    }

    // RFC 6522 §3: the delivery-status is a direct child of multipart/report. Some gateways wrap the whole
    // report in multipart/mixed, so one level below the top is searched too, and no deeper (a forwarded bounce
    // inside a message/rfc822 attachment is not about our message).
    private static MimePart? StatusPart(MimeEntity? body)
    {
        if (body is not Multipart top) return null;
        if (IsReport(top)) return StatusChild(top);
        foreach (var child in top)
            if (child is Multipart nested && IsReport(nested) && StatusChild(nested) is { } part)
                return part;
        return null;
    }

    private static bool IsReport(Multipart multipart) => multipart.ContentType.IsMimeType("multipart", "report");

    private static MimePart? StatusChild(Multipart report) =>
        report.OfType<MimePart>().FirstOrDefault(p =>
            p.ContentType.IsMimeType("message", "delivery-status") || p.ContentType.IsMimeType("message", "global-delivery-status"));

    // Transfer encoding removed; global-delivery-status is UTF-8 (RFC 6533 §6.1), and UTF-8 reads ASCII unchanged.
    private static string Decode(MimePart part)
    {
        if (part.Content is null) return "";
        using var stream = new MemoryStream();
        part.Content.DecodeTo(stream);
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static List<ReportedRecipient> ParseFields(string content)
    {
        var recipients = new List<ReportedRecipient>();
        foreach (var block in Blocks(content))
        {
            var final = block.GetValueOrDefault("final-recipient");
            var original = block.GetValueOrDefault("original-recipient");
            var address = Address(final) ?? Address(original);
            if (address is null) continue; // the per-message block, or a recipient block naming no one
            var diagnostic = Untyped(block.GetValueOrDefault("diagnostic-code"));
            recipients.Add(new ReportedRecipient(
                address,
                Action(block.GetValueOrDefault("action")),
                Status(block.GetValueOrDefault("status"), diagnostic),
                diagnostic,
                Untyped(block.GetValueOrDefault("remote-mta")),
                final is null ? null : Address(original)));
            if (recipients.Count == MaxRecipients) break;
        }
        return recipients;
    }

    // RFC 3464 §2.1: groups of RFC 822-style fields separated by blank lines; continuation lines start with
    // white space (unfolded to one space). Field names compare case-insensitively; the first of a repeat wins.
    private static IEnumerable<Dictionary<string, string>> Blocks(string content)
    {
        var block = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? name = null;
        foreach (var raw in content.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                if (block.Count > 0) yield return block;
                block = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                name = null;
                continue;
            }
            if (line[0] is ' ' or '\t')
            {
                if (name is not null) block[name] = block[name] + " " + line.Trim();
                continue;
            }
            var colon = line.IndexOf(':');
            name = null;
            if (colon <= 0) continue;
            var field = line[..colon].Trim();
            if (block.ContainsKey(field)) continue;
            block[field] = line[(colon + 1)..].Trim();
            name = field;
        }
        if (block.Count > 0) yield return block;
    }

    // "type; value" (RFC 3464 §2.1.2) to value; a value without a type is kept whole.
    private static string? Untyped(string? value)
    {
        if (value is null) return null;
        var semicolon = value.IndexOf(';');
        var text = semicolon > 0 && !value[..semicolon].Trim().Any(char.IsWhiteSpace) ? value[(semicolon + 1)..] : value;
        text = text.Trim();
        return text.Length > 0 ? text : null;
    }

    private static string? Address(string? value)
    {
        if (value is null) return null;
        var semicolon = value.IndexOf(';');
        var utf8 = semicolon > 0 && value[..semicolon].Trim().Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        var text = Untyped(value);
        if (text is null) return null;
        if (text.StartsWith('<'))
        {
            var close = text.IndexOf('>');
            text = close > 0 ? text[1..close] : text[1..];
        }
        else if (text.IndexOfAny([' ', '\t']) is var space and > 0)
        {
            text = text[..space]; // a trailing "(comment)" some MTAs append
        }
        if (utf8) text = DecodeUtf8AddrXtext(text);
        return text.Contains('@') ? text : null;
    }

    // RFC 6533 §3 utf-8-addr-xtext: "\x{HEX}" stands for one Unicode scalar value.
    private static string DecodeUtf8AddrXtext(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x' && text[i + 2] == '{')
            {
                var close = text.IndexOf('}', i + 3);
                if (close > i + 3 && close - i - 3 <= 6
                    && int.TryParse(text.AsSpan(i + 3, close - i - 3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var scalar)
                    && Rune.IsValid(scalar))
                {
                    result.Append(new Rune(scalar).ToString());
                    i = close;
                    continue;
                }
            }
            result.Append(text[i]);
        }
        return result.ToString();
    }

    private static DsnAction? Action(string? value)
    {
        var word = value?.Split([' ', '\t', '(', ';'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return word?.ToLowerInvariant() switch
        {
            "failed" => DsnAction.Failed,
            "delayed" => DsnAction.Delayed,
            "delivered" => DsnAction.Delivered,
            "relayed" => DsnAction.Relayed,
            "expanded" => DsnAction.Expanded,
            _ => null,
        };
    }

    // Status may carry a comment ("5.0.0 (permanent failure)"); without a usable one the Diagnostic-Code's reply decides.
    private static string? Status(string? value, string? diagnostic)
    {
        if (DeliveryStatusCodes.TryParseEnhanced(value, out var status)) return status;
        if (DeliveryStatusCodes.TryParseEnhanced(diagnostic, out status)) return status;
        if (diagnostic is { Length: >= 3 } && int.TryParse(diagnostic.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            && code / 100 is 2 or 4 or 5 && (diagnostic.Length == 3 || diagnostic[3] is ' ' or '-'))
            return DeliveryStatusCodes.FromReply(code, diagnostic[3..]);
        return null;
    }
}
