using System.Text;

namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// Mailbox names on the wire: modified UTF-7 for IMAP4rev1 clients (RFC 3501 §5.1.3), UTF-8 for IMAP4rev2
/// (RFC 9051 §5.1), where a name that looks like modified UTF-7 is still decoded for old clients' sake.
/// </summary>
public static class MailboxNameCodec
{
    /// <summary>Encodes a name in modified UTF-7.</summary>
    public static string EncodeUtf7(string name)
    {
        var builder = new StringBuilder();
        var pending = new List<char>();
        void Flush()
        {
            if (pending.Count == 0) return;
            var bytes = Encoding.BigEndianUnicode.GetBytes(pending.ToArray());
            builder.Append('&').Append(Convert.ToBase64String(bytes).TrimEnd('=').Replace('/', ',')).Append('-');
            pending.Clear();
        }
        foreach (var c in name)
        {
            if (c is >= (char)0x20 and <= (char)0x7E)
            {
                Flush();
                builder.Append(c == '&' ? "&-" : c.ToString());
            }
            else pending.Add(c);
        }
        Flush();
        return builder.ToString();
    }

    /// <summary>Decodes modified UTF-7; text that is not valid modified UTF-7 is returned unchanged.</summary>
    public static string DecodeUtf7(string name)
    {
        if (!name.Contains('&')) return name;
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c != '&')
            {
                builder.Append(c);
                continue;
            }
            var end = name.IndexOf('-', i + 1);
            if (end < 0) return name;
            if (end == i + 1)
            {
                builder.Append('&');
                i = end;
                continue;
            }
            var base64 = name[(i + 1)..end].Replace(',', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            try
            {
                var bytes = Convert.FromBase64String(base64);
                if (bytes.Length % 2 != 0) return name;
                builder.Append(Encoding.BigEndianUnicode.GetString(bytes));
            }
            catch (FormatException)
            {
                return name;
            }
            i = end;
        }
        return builder.ToString();
    }
}
