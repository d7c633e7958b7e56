using System.Text;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// Labels are IMAP keywords (RFC 9051 §2.3.2), so a label set over the API is a keyword in FETCH FLAGS and a keyword
/// stored over IMAP is a label. A keyword must be an atom, so a label's characters that are not atom characters (space,
/// <c>( ) { % * " \ ]</c>, controls, anything beyond ASCII) and <c>&amp;</c> itself are written as <c>&amp;XX</c>, the UTF-8
/// octets in upper-case hex (<c>%</c> is a list wildcard, not an atom character): label <c>Work stuff/é</c> is keyword <c>Work&amp;20stuff/&amp;C3&amp;A9</c>. Keywords beginning with
/// <c>$</c> are IMAP's own (<c>$Forwarded</c>, <c>$MDNSent</c>, <c>$Junk</c>, RFC 5788) and are not labels, so a label
/// may not begin with <c>$</c>.
/// </summary>
public static class LabelKeyword
{
    /// <summary>The keyword of a label (checked as <see cref="FlagSet.CanonicalLabel"/> first).</summary>
    public static string ToKeyword(string label)
    {
        var canonical = FlagSet.CanonicalLabel(label);
        if (canonical.StartsWith('$')) throw new MailException(MailErrorCode.Invalid, $"'{label}' is not a valid label: '$' starts IMAP's own keywords.");
        var builder = new StringBuilder(canonical.Length);
        foreach (var octet in Encoding.UTF8.GetBytes(canonical))
        {
            if (IsAtomChar(octet)) builder.Append((char)octet);
            else builder.Append('&').Append(octet.ToString("X2"));
        }
        var keyword = builder.ToString();
        if (keyword.Length > FlagSet.MaxLength) throw new MailException(MailErrorCode.Invalid, $"'{label}' is too long for a label.");
        return keyword;
    }

    /// <summary>The label a flag stands for, or null for a system flag or a <c>$</c> keyword.</summary>
    public static string? ToLabel(string flag)
    {
        if (flag.Length == 0 || flag[0] is '\\' or '$') return null;
        if (!flag.Contains('&')) return flag;
        var octets = new List<byte>(flag.Length);
        for (var i = 0; i < flag.Length; i++)
        {
            if (flag[i] == '&' && i + 2 < flag.Length && IsHex(flag[i + 1]) && IsHex(flag[i + 2]))
            {
                octets.Add(Convert.ToByte(flag.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                octets.AddRange(Encoding.UTF8.GetBytes(flag[i].ToString()));
            }
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(octets.ToArray());
        }
        catch (DecoderFallbackException)
        {
            // A keyword someone stored over IMAP that merely looks encoded: the label is the keyword as it is.
            return flag;
        }
    }

    /// <summary>The labels of a flag list, in its order.</summary>
    public static string[] LabelsOf(IEnumerable<string> flags) => flags.Select(ToLabel).OfType<string>().Distinct().ToArray();

    // RFC 9051 §9 ATOM-CHAR: any CHAR except atom-specials ( ) { SP CTL % * DQUOTE \ ]; '&' is our escape.
    private static bool IsAtomChar(byte c) => c is > 0x20 and < 0x7F && c is not ((byte)'(' or (byte)')' or (byte)'{' or (byte)'%' or (byte)'*' or (byte)'"' or (byte)'\\' or (byte)']' or (byte)'&');

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
