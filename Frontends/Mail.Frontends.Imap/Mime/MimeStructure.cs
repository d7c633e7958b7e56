using System.Text;
using MimeKit;

namespace Mail.Frontends.Imap.Mime;

/// <summary>
/// Locates a message's entities (<see cref="MimeNode"/>) by the offsets MimeKit's parser reports, so that IMAP reads a
/// message's structure exactly as every other component does (ARCHITECTURE: one MIME parser): header fields, multipart
/// boundaries (RFC 2046 §5.1.1: the CRLF before a delimiter belongs to the delimiter) and encapsulated messages. A message
/// MimeKit refuses (its first line is no header field) is one text/plain entity whose header ends at the first line that is
/// not a field.
/// </summary>
public static class MimeStructure
{
    /// <summary>Parses the message in <paramref name="bytes"/>.</summary>
    public static MimeNode Parse(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return MimeKitOffsets.Parse(bytes);
        }
        catch (FormatException)
        {
            return Unparsed(bytes.Span);
        }
    }

    /// <summary>The first header field named <paramref name="name"/>, unfolded and trimmed, or null.</summary>
    public static string? HeaderValue(ReadOnlySpan<byte> message, MimeNode node, string name)
    {
        foreach (var field in node.Fields)
        {
            if (field.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return Unfold(message[field.ValueStart..field.End]);
        }
        return null;
    }

    /// <summary>The octets of a header field value without folding or surrounding white space.</summary>
    public static byte[] RawValue(ReadOnlySpan<byte> message, HeaderField field)
    {
        var value = message[field.ValueStart..field.End];
        var buffer = new List<byte>(value.Length);
        foreach (var b in value)
        {
            if (b is (byte)'\r' or (byte)'\n') continue;
            buffer.Add(b);
        }
        var start = 0;
        var end = buffer.Count;
        while (start < end && buffer[start] is (byte)' ' or (byte)'\t') start++;
        while (end > start && buffer[end - 1] is (byte)' ' or (byte)'\t') end--;
        return buffer.GetRange(start, end - start).ToArray();
    }

    /// <summary>Unfolds a header value (RFC 5322 §2.2.3) and decodes it as UTF-8 (Latin-1 when it is not valid UTF-8).</summary>
    public static string Unfold(ReadOnlySpan<byte> value)
    {
        var bytes = new List<byte>(value.Length);
        foreach (var b in value)
        {
            if (b is (byte)'\r' or (byte)'\n') continue;
            bytes.Add(b);
        }
        var array = bytes.ToArray();
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(array);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.Latin1.GetString(array);
        }
        return text.Trim(' ', '\t');
    }

    /// <summary>A message MimeKit cannot read: its leading header fields, then everything else as a text/plain body.</summary>
    private static MimeNode Unparsed(ReadOnlySpan<byte> data)
    {
        var fields = new List<HeaderField>();
        var position = 0;
        var bodyStart = data.Length;
        while (position < data.Length)
        {
            var lf = data[position..].IndexOf((byte)'\n');
            var lineEnd = lf < 0 ? data.Length : position + lf + 1;
            var line = data[position..lineEnd].TrimEnd("\r\n"u8);
            if (line.IsEmpty)
            {
                bodyStart = lineEnd;
                break;
            }
            var colon = line.IndexOf((byte)':');
            if (line[0] is (byte)' ' or (byte)'\t' && fields.Count > 0) fields[^1] = fields[^1] with { End = lineEnd };
            else if (colon > 0) fields.Add(new HeaderField(Encoding.ASCII.GetString(line[..colon]).TrimEnd(' ', '\t'), position, lineEnd, position + colon + 1));
            else
            {
                bodyStart = position;
                break;
            }
            position = lineEnd;
        }
        return new MimeNode
        {
            HeaderStart = 0, BodyStart = bodyStart, BodyEnd = data.Length, Fields = fields,
            ContentType = new ContentType("text", "plain") { Charset = "us-ascii" },
        };
    }
}
