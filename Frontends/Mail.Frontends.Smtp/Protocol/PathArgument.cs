namespace Mail.Frontends.Smtp.Protocol;

/// <summary>
/// The argument of MAIL FROM:/RCPT TO: (RFC 5321 §4.1.1.2, §4.1.1.3, §4.1.2): a path in angle brackets
/// ("&lt;&gt;" is the null reverse-path) followed by ESMTP parameters "KEY" or "KEY=VALUE".
/// </summary>
public sealed record PathArgument(string Address, IReadOnlyDictionary<string, string?> Parameters)
{
    /// <summary>Longest accepted path (RFC 5321 §4.5.3.1.3).</summary>
    public const int MaxPathLength = 256;

    /// <summary>The error for an argument holding a control character (answered 501 5.5.2, RFC 5321 §4.1.2).</summary>
    public const string ControlCharacterError = "Syntax: control characters are not allowed";

    /// <summary>Parses "FROM:&lt;a@b&gt; SIZE=10" after the verb; <paramref name="keyword"/> is "FROM" or "TO". Null with an error text when malformed.</summary>
    public static (PathArgument? Path, string? Error) Parse(string argument, string keyword, bool allowNull)
    {
        var text = argument.TrimStart();
        if (ControlCharacters.AnyIn(argument)) return (null, ControlCharacterError);
        if (!text.StartsWith(keyword + ":", StringComparison.OrdinalIgnoreCase)) return (null, $"Syntax: expected {keyword}:<address>");
        text = text[(keyword.Length + 1)..].TrimStart();
        if (!text.StartsWith('<')) return (null, "Syntax: the address must be in angle brackets");
        var close = text.IndexOf('>');
        if (close < 0) return (null, "Syntax: missing '>'");
        var path = text[1..close];
        if (path.Length > MaxPathLength) return (null, "Path too long");
        var colon = path.IndexOf(':');
        if (path.StartsWith('@') && colon > 0) path = path[(colon + 1)..];
        if (path.Length == 0 && !allowNull) return (null, "Syntax: an empty address is not allowed here");
        if (path.Length > 0 && !IsMailbox(path)) return (null, $"Syntax: '{path}' is not a valid mailbox");

        var parameters = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var token in text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = token.IndexOf('=');
            var key = equals < 0 ? token : token[..equals];
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) return (null, $"Syntax: bad parameter '{token}'");
            if (!parameters.TryAdd(key, equals < 0 ? null : token[(equals + 1)..])) return (null, $"Syntax: parameter {key} given twice");
        }
        return (new PathArgument(path, parameters), null);
    }

    /// <summary>local-part "@" domain (RFC 5321 §4.1.2), without spaces or controls; the local part is checked whatever the domain.</summary>
    private static bool IsMailbox(string path)
    {
        var at = path.LastIndexOf('@');
        if (at <= 0 || at == path.Length - 1) return false;
        return IsLocalPart(path[..at]) && IsDomain(path[(at + 1)..]);
    }

    /// <summary>Local-part = Dot-string / Quoted-string (RFC 5321 §4.1.2): unquoted, specials need quotes.</summary>
    private static bool IsLocalPart(string local)
    {
        if (local.Length >= 2 && local[0] == '"' && local[^1] == '"') return IsQuotedContent(local.AsSpan(1, local.Length - 2));
        return !local.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '@' or ',' or ';' or '<' or '>' or '(' or ')' or '[' or ']' or '\\' or '"' or ':');
    }

    /// <summary>QcontentSMTP (RFC 5321 §4.1.2): qtextSMTP (UTF-8 too, RFC 6531 §3.3) or a quoted-pairSMTP, "\\" then %d32-126; a bare '"' would end the string.</summary>
    private static bool IsQuotedContent(ReadOnlySpan<char> content)
    {
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (c == '\\')
            {
                if (++i == content.Length || content[i] is < ' ' or > '~') return false;
            }
            else if (c == '"' || char.IsControl(c)) return false;
        }
        return true;
    }

    /// <summary>A domain name or an address literal (RFC 5321 §4.1.3: dcontent is %d33-90 / %d94-126, no brackets, backslash, space or controls).</summary>
    private static bool IsDomain(string domain)
    {
        if (domain.StartsWith('[')) return domain.Length > 2 && domain.EndsWith(']') && domain[1..^1].All(c => c is >= '!' and <= '~' and not '[' and not ']' and not '\\');
        return !domain.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or ',' or ';' or '\\' or '@');
    }
}
