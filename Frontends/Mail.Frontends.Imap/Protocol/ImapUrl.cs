using System.Diagnostics.CodeAnalysis;

namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// An IMAP URL naming a message or a part of one (RFC 5092 §3, "imessagepart"), as CATENATE takes it (RFC 4469 §5):
/// <c>imap://user@host/mailbox;UIDVALIDITY=n/;UID=n/;SECTION=s/;PARTIAL=o.l</c> or the same path relative to the server.
/// URLAUTH-authorized URLs (RFC 4467) are not served.
/// </summary>
public sealed record ImapUrl(string? User, string Mailbox, long? UidValidity, long Uid, BodySection? Section, long? PartialStart, long? PartialLength)
{
    /// <summary>Parses <paramref name="text"/>; false when it is no IMAP URL of a message (or asks for URLAUTH).</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ImapUrl? url)
    {
        url = null;
        string? user = null;
        var path = text;
        if (text.StartsWith("imap://", StringComparison.OrdinalIgnoreCase))
        {
            var slash = text.IndexOf('/', 7);
            if (slash < 0) return false;
            var authority = text[7..slash];
            var at = authority.LastIndexOf('@');
            if (at >= 0)
            {
                var userPart = authority[..at];
                var semicolon = userPart.IndexOf(';');
                user = Uri.UnescapeDataString(semicolon >= 0 ? userPart[..semicolon] : userPart);
            }
            path = text[slash..];
        }
        if (!path.StartsWith('/')) return false;
        var segments = path[1..].Split("/;");
        if (segments.Length < 2) return false;
        var mailboxPart = segments[0].Split(';');
        if (mailboxPart[0].Length == 0) return false;
        var mailbox = Uri.UnescapeDataString(mailboxPart[0]);
        long? uidValidity = null;
        foreach (var parameter in mailboxPart.Skip(1))
        {
            if (!TryValue(parameter, "UIDVALIDITY", out var value) || !TryNumber(value, out var number)) return false;
            uidValidity = number;
        }
        long uid = 0;
        BodySection? section = null;
        long? partialStart = null, partialLength = null;
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (i == 1)
            {
                if (!TryValue(segment, "UID", out var value) || !TryNumber(value, out uid) || uid == 0) return false;
            }
            else if (TryValue(segment, "SECTION", out var spec) && section is null && partialStart is null)
            {
                if (!ImapCommandParser.TryParseSection(Uri.UnescapeDataString(spec.TrimEnd('/')), out section)) return false;
            }
            else if (TryValue(segment, "PARTIAL", out var partial) && partialStart is null)
            {
                var parts = partial.Split('.');
                if (parts.Length > 2 || !TryNumber(parts[0], out var start)) return false;
                partialStart = start;
                if (parts.Length == 2)
                {
                    if (!TryNumber(parts[1], out var length) || length == 0) return false;
                    partialLength = length;
                }
            }
            else return false; // URLAUTH, EXPIRE, a repeated or unknown parameter
        }
        url = new ImapUrl(user, mailbox, uidValidity, uid, section, partialStart, partialLength);
        return true;
    }

    private static bool TryValue(string segment, string name, out string value)
    {
        value = "";
        if (segment.Length <= name.Length || segment[name.Length] != '=' || !segment.StartsWith(name, StringComparison.OrdinalIgnoreCase)) return false;
        value = segment[(name.Length + 1)..];
        return true;
    }

    private static bool TryNumber(string text, out long number) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number) && number <= uint.MaxValue;
}
