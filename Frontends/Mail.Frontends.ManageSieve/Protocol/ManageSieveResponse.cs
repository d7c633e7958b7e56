using System.Text;

namespace Mail.Frontends.ManageSieve.Protocol;

/// <summary>Writes responses (RFC 5804 §4): OK, NO or BYE, an optional response code in parentheses and a human-readable string.</summary>
public static class ManageSieveResponse
{
    /// <summary>OK with an optional code and text.</summary>
    public static string Ok(string? text = null, string? code = null) => Line("OK", code, text);

    /// <summary>NO with an optional code and text.</summary>
    public static string No(string text, string? code = null) => Line("NO", code, text);

    /// <summary>BYE with an optional code and text.</summary>
    public static string Bye(string text, string? code = null) => Line("BYE", code, text);

    /// <summary>A string as quoted, with \" and \\ escaped (when it fits one), or as a literal "{n}" CRLF octets (RFC 5804 §4 string).</summary>
    public static string String(string value)
    {
        if (value.Length <= 1024 && !value.Any(c => c is '\r' or '\n' or '\0')) return $"\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
        return $"{{{Encoding.UTF8.GetByteCount(value)}}}\r\n{value}";
    }

    private static string Line(string status, string? code, string? text)
    {
        var builder = new StringBuilder(status);
        if (code is not null) builder.Append(" (").Append(code).Append(')');
        if (!string.IsNullOrEmpty(text)) builder.Append(' ').Append(String(text));
        return builder.Append("\r\n").ToString();
    }
}
