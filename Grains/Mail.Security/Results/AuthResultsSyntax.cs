using System.Text;

namespace Mail.Security.Results;

/// <summary>Lexical pieces of the Authentication-Results field (RFC 8601 §2.2): comments removed, the authserv-id, safe property values.</summary>
public static class AuthResultsSyntax
{
    /// <summary>The value with every (nested) comment replaced by a space and quoted strings kept (RFC 5322 §3.2.2 CFWS).</summary>
    public static string StripComments(string value)
    {
        var output = new StringBuilder(value.Length);
        var (depth, quoted) = (0, false);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && (quoted || depth > 0))
            {
                if (depth == 0) output.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (!quoted && c == '(') depth++;
            else if (!quoted && c == ')' && depth > 0)
            {
                if (--depth == 0) output.Append(' ');
            }
            else if (depth == 0)
            {
                if (c == '"') quoted = !quoted;
                output.Append(c);
            }
        }
        return output.ToString();
    }

    /// <summary>The authserv-id of a field value (RFC 8601 §2.2: a value, token or quoted-string, before any version and the first ';'); null if there is none.</summary>
    public static string? AuthServId(string value)
    {
        var text = StripComments(value).Trim(' ', '\t', '\r', '\n');
        if (text.Length == 0) return null;
        if (text[0] == '"')
        {
            var end = text.IndexOf('"', 1);
            return end < 0 ? null : text[1..end];
        }
        var stop = text.IndexOfAny([';', ' ', '\t', '\r', '\n']);
        var id = stop < 0 ? text : text[..stop];
        return id.Length == 0 ? null : id;
    }

    /// <summary>
    /// A client-supplied name (HELO, MAIL FROM) as a property value that can neither break out of the field nor inject a
    /// result: only the characters of addresses and domain names are kept.
    /// </summary>
    public static string SafeValue(string value)
    {
        var kept = new string(value.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' or '+' or '=' or ':' or '[' or ']').ToArray());
        return kept.Length == 0 ? "unknown" : kept;
    }
}
