using System.Text;
using MimeKit;

namespace Mail.Frontends.Imap.Mime;

/// <summary>
/// Splits a message into <see cref="MimeNode"/>s over its octets: header fields, multipart boundaries
/// (RFC 2046 §5.1.1: the CRLF before a delimiter belongs to the delimiter) and encapsulated messages. Header
/// values are parsed with MimeKit. Depth is bounded so a hostile message cannot exhaust the stack.
/// </summary>
public static class MimeStructure
{
    /// <summary>Deepest nesting of multiparts and encapsulated messages followed.</summary>
    public const int MaxDepth = 32;

    /// <summary>Parses the message in <paramref name="bytes"/>.</summary>
    public static MimeNode Parse(ReadOnlyMemory<byte> bytes) => Parse(bytes.Span, 0, bytes.Length, null, 0);

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

    private static MimeNode Parse(ReadOnlySpan<byte> data, int start, int end, ContentType? defaultType, int depth)
    {
        var fields = new List<HeaderField>();
        var position = start;
        var bodyStart = end;
        while (position < end)
        {
            var lineEnd = LineEnd(data, position, end);
            var content = TrimEol(data, position, lineEnd);
            if (content == position)
            {
                bodyStart = lineEnd;
                break;
            }
            if (data[position] is (byte)' ' or (byte)'\t' && fields.Count > 0)
            {
                var last = fields[^1];
                fields[^1] = last with { End = lineEnd };
            }
            else
            {
                var colon = data[position..content].IndexOf((byte)':');
                if (colon > 0)
                {
                    var name = Encoding.ASCII.GetString(data.Slice(position, colon)).TrimEnd(' ', '\t');
                    fields.Add(new HeaderField(name, position, lineEnd, position + colon + 1));
                }
                else if (fields.Count == 0 && data[position..content].StartsWith("From "u8))
                {
                    // An mbox "From " line before the header is tolerated and skipped.
                }
                else
                {
                    // Not a header line: the header ended without a blank line (RFC 5322 §2.1 allows no body).
                    bodyStart = position;
                    break;
                }
            }
            position = lineEnd;
        }
        if (position >= end) bodyStart = Math.Min(bodyStart, end);

        var contentType = ContentTypeOf(data, fields) ?? defaultType ?? new ContentType("text", "plain") { Charset = "us-ascii" };
        if (depth >= MaxDepth) return Leaf(start, bodyStart, end, fields, contentType);
        if (contentType.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase) && contentType.Boundary is { Length: > 0 } boundary)
        {
            var childDefault = contentType.MediaSubtype.Equals("digest", StringComparison.OrdinalIgnoreCase)
                ? new ContentType("message", "rfc822")
                : null;
            var parts = new List<MimeNode>();
            foreach (var (partStart, partEnd) in SplitParts(data, bodyStart, end, Encoding.ASCII.GetBytes("--" + boundary)))
            {
                parts.Add(Parse(data, partStart, partEnd, childDefault, depth + 1));
                if (parts.Count > 10_000) break;
            }
            return new MimeNode
            {
                HeaderStart = start, BodyStart = bodyStart, BodyEnd = end, Fields = fields, ContentType = contentType, Parts = parts,
            };
        }
        if (IsEncapsulatedMessage(contentType))
        {
            return new MimeNode
            {
                HeaderStart = start, BodyStart = bodyStart, BodyEnd = end, Fields = fields, ContentType = contentType,
                Message = Parse(data, bodyStart, end, null, depth + 1),
            };
        }
        return Leaf(start, bodyStart, end, fields, contentType);
    }

    /// <summary>Whether the type is message/rfc822 or message/global (RFC 6532), whose body is a message.</summary>
    public static bool IsEncapsulatedMessage(ContentType type) =>
        type.MediaType.Equals("message", StringComparison.OrdinalIgnoreCase)
        && (type.MediaSubtype.Equals("rfc822", StringComparison.OrdinalIgnoreCase) || type.MediaSubtype.Equals("global", StringComparison.OrdinalIgnoreCase));

    private static MimeNode Leaf(int start, int bodyStart, int end, List<HeaderField> fields, ContentType type) =>
        new() { HeaderStart = start, BodyStart = bodyStart, BodyEnd = end, Fields = fields, ContentType = type };

    private static ContentType? ContentTypeOf(ReadOnlySpan<byte> data, List<HeaderField> fields)
    {
        foreach (var field in fields)
        {
            if (!field.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) continue;
            return ContentType.TryParse(ParserOptions.Default, RawValue(data, field), out var type) ? type : null;
        }
        return null;
    }

    /// <summary>The parts between delimiter lines; the preamble and epilogue are not parts.</summary>
    private static List<(int Start, int End)> SplitParts(ReadOnlySpan<byte> data, int start, int end, byte[] delimiter)
    {
        var parts = new List<(int, int)>();
        var partStart = -1;
        var position = start;
        while (position < end)
        {
            var lineEnd = LineEnd(data, position, end);
            var line = data[position..TrimEol(data, position, lineEnd)];
            if (line.StartsWith(delimiter))
            {
                var rest = line[delimiter.Length..];
                var closing = rest.StartsWith("--"u8);
                if (closing) rest = rest[2..];
                if (rest.TrimEnd(" \t"u8).Length == 0)
                {
                    if (partStart >= 0) parts.Add((partStart, PrecedingEol(data, partStart, position)));
                    if (closing) return parts;
                    partStart = lineEnd;
                }
            }
            position = lineEnd;
        }
        if (partStart >= 0 && partStart <= end) parts.Add((partStart, end));
        return parts;
    }

    /// <summary>Where the line break before <paramref name="delimiterLine"/> starts (it belongs to the delimiter).</summary>
    private static int PrecedingEol(ReadOnlySpan<byte> data, int partStart, int delimiterLine)
    {
        var end = delimiterLine;
        if (end > partStart && data[end - 1] == '\n') end--;
        if (end > partStart && data[end - 1] == '\r') end--;
        return end;
    }

    private static int LineEnd(ReadOnlySpan<byte> data, int position, int end)
    {
        var lf = data[position..end].IndexOf((byte)'\n');
        return lf < 0 ? end : position + lf + 1;
    }

    private static int TrimEol(ReadOnlySpan<byte> data, int position, int lineEnd)
    {
        var end = lineEnd;
        if (end > position && data[end - 1] == '\n') end--;
        if (end > position && data[end - 1] == '\r') end--;
        return end;
    }
}
