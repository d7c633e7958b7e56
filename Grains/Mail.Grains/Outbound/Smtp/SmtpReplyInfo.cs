namespace Mail.Grains.Outbound.Smtp;

/// <summary>One SMTP reply (RFC 5321 §4.2) with its enhanced status code (RFC 3463), as kept per recipient and quoted as a DSN's Diagnostic-Code.</summary>
public sealed record SmtpReplyInfo(int Code, string? EnhancedCode, string Text)
{
    /// <summary>A 2xx reply (RFC 5321 §4.2.1).</summary>
    public bool IsSuccess => Code is >= 200 and < 300;

    /// <summary>A 5xx reply: permanent negative completion (RFC 5321 §4.2.1).</summary>
    public bool IsPermanent => Code is >= 500 and < 600;

    /// <summary>"550 5.1.1 User unknown": code, enhanced code when present, text.</summary>
    public override string ToString()
    {
        var head = EnhancedCode is null ? Code.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Code} {EnhancedCode}";
        return Text.Length == 0 ? head : $"{head} {Text}";
    }

    /// <summary>
    /// A reply from its code and text lines: a leading enhanced status code whose class matches the reply's
    /// first digit (RFC 2034 §4) is split off each line; the lines are joined by one space.
    /// </summary>
    internal static SmtpReplyInfo FromLines(int code, IReadOnlyList<string> lines)
    {
        string? enhanced = null;
        var texts = new string[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var space = line.IndexOf(' ');
            var token = space < 0 ? line : line[..space];
            if (IsEnhancedCode(token, code))
            {
                enhanced ??= token;
                line = space < 0 ? "" : line[(space + 1)..];
            }
            texts[i] = line;
        }
        return new SmtpReplyInfo(code, enhanced, string.Join(' ', texts).Trim());
    }

    /// <summary>class.subject.detail (RFC 3463 §2), class equal to the reply code's first digit.</summary>
    private static bool IsEnhancedCode(string token, int code)
    {
        var parts = token.Split('.');
        return parts.Length == 3
            && parts[0].Length == 1 && parts[0][0] - '0' == code / 100
            && parts[1].Length is >= 1 and <= 3 && parts[1].All(char.IsAsciiDigit)
            && parts[2].Length is >= 1 and <= 3 && parts[2].All(char.IsAsciiDigit);
    }
}
