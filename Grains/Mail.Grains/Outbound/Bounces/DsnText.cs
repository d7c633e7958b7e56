using System.Text;

namespace Mail.Grains.Outbound.Bounces;

/// <summary>Makes remote and stored text safe to place in DSN header fields and the human-readable part.</summary>
internal static class DsnText
{
    // Remote replies are untrusted; past this they only make the DSN bigger, never clearer.
    private const int MaxReplyChars = 2000;

    /// <summary>
    /// One line from a possibly multi-line SMTP reply (RFC 5321 §4.2.1): lines are joined with a space and
    /// the repeated "550-5.1.1 " prefixes of continuation lines dropped, as Postfix does; control characters
    /// become spaces, so a reply cannot end a header field or start a new one.
    /// </summary>
    public static string JoinReply(string reply)
    {
        var lines = reply.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = new StringBuilder();
        string? code = null;
        var enhanced = "";
        foreach (var raw in lines)
        {
            var line = raw;
            if (line.Length >= 4 && char.IsAsciiDigit(line[0]) && char.IsAsciiDigit(line[1]) && char.IsAsciiDigit(line[2]) && line[3] is '-' or ' ')
            {
                var lineCode = line[..3];
                var rest = line[4..].TrimStart();
                if (code is null)
                {
                    code = lineCode;
                    DeliveryStatusCodes.TryParseEnhanced(rest, out enhanced);
                    line = $"{lineCode} {rest}";
                }
                else if (lineCode == code)
                {
                    line = enhanced is { Length: > 0 } && rest.StartsWith(enhanced, StringComparison.Ordinal) ? rest[enhanced.Length..].TrimStart() : rest;
                }
            }
            if (line.Length == 0) continue;
            if (text.Length > 0) text.Append(' ');
            text.Append(line);
        }
        return Clean(text.ToString(), MaxReplyChars);
    }

    /// <summary>Control characters (CR and LF included) become spaces, runs of white space one space; cut at <paramref name="max"/>.</summary>
    public static string Clean(string value, int max = MaxReplyChars)
    {
        var text = new StringBuilder(Math.Min(value.Length, max));
        var space = false;
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator)
            {
                space = text.Length > 0;
                continue;
            }
            if (space) text.Append(' ');
            space = false;
            if (text.Length >= max) break;
            text.Append(c);
        }
        return text.ToString();
    }

    /// <summary>
    /// <see cref="Clean"/>, then every non-ASCII character replaced by '?': message/delivery-status is
    /// US-ASCII (RFC 3464 §2.1.1), and an encoded-word there would be read literally by report parsers.
    /// The human-readable part keeps the original characters.
    /// </summary>
    public static string Ascii(string value)
    {
        var clean = Clean(value).ToCharArray();
        for (var i = 0; i < clean.Length; i++)
            if (clean[i] > '~') clean[i] = '?';
        return new string(clean);
    }

    /// <summary>
    /// An address as a typed DSN address: "rfc822; a@b" when ASCII, else "utf-8; " with the
    /// utf-8-addr-xtext form of RFC 6533 §3 (non-ASCII, '\', '+', '=' and controls as \x{HEX}).
    /// </summary>
    public static string TypedAddress(string address)
    {
        var clean = Clean(address, 320);
        if (clean.All(c => c is > ' ' and <= '~')) return "rfc822; " + clean;
        var text = new StringBuilder("utf-8; ");
        foreach (var rune in clean.EnumerateRunes())
        {
            if (rune.Value is > ' ' and <= '~' and not '\\' and not '+' and not '=') text.Append((char)rune.Value);
            else text.Append($"\\x{{{rune.Value:X}}}");
        }
        return text.ToString();
    }
}
