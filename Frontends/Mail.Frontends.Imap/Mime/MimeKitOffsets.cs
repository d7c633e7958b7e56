using System.Runtime.InteropServices;
using MimeKit;

namespace Mail.Frontends.Imap.Mime;

/// <summary>
/// Builds the <see cref="MimeNode"/> tree of a message from MimeKit's parser: the begin, end-of-header and end offsets it
/// reports for each entity, and its header fields (raw name and value) in order. The stream is parsed persistently, so part content
/// is never copied. A message's node carries all its header fields in order (MimeKit files the Content-* ones under
/// the body entity, the others under the message).
/// </summary>
public static class MimeKitOffsets
{
    /// <summary>Parses <paramref name="bytes"/>; throws <see cref="FormatException"/> when MimeKit cannot read it as a message.</summary>
    /// <remarks>Field positions are found, not trusted: MimeKit reports the first field's offset early.</remarks>
    public static MimeNode Parse(ReadOnlyMemory<byte> bytes)
    {
        var segment = MemoryMarshal.TryGetArray(bytes, out var array) ? array : new ArraySegment<byte>(bytes.ToArray());
        using var stream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        var parser = new MimeParser(ParserOptions.Default, stream, MimeFormat.Entity, persistent: true);
        var open = new Stack<Entry>();
        Entry? root = null;
        MimeMessage? beginning = null;
        parser.MimeMessageBegin += (_, e) => beginning = e.Message;
        parser.MimeEntityBegin += (_, e) =>
        {
            var entry = new Entry(e.Entity, e.BeginOffset, beginning);
            beginning = null;
            if (open.TryPeek(out var parent)) parent.Children.Add(entry);
            else root ??= entry;
            open.Push(entry);
        };
        parser.MimeEntityEnd += (_, e) =>
        {
            var entry = open.Pop();
            entry.HeadersEnd = e.HeadersEndOffset;
            entry.End = e.EndOffset;
        };
        parser.ParseMessage();
        return (root ?? throw new FormatException("The message has no entity.")).ToNode(bytes.Span);
    }

    /// <summary>
    /// The entity's Content-Type as MimeKit parsed or defaulted it; an entity with no Content-Type field at all is
    /// "text/plain; charset=us-ascii" (RFC 2045 §5.2), unless MimeKit defaulted it otherwise (message/rfc822 in a digest).
    /// </summary>
    private static ContentType ContentTypeOf(MimeEntity entity, List<HeaderField> fields) =>
        entity.ContentType.IsMimeType("text", "plain") && !fields.Exists(f => f.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            ? new ContentType("text", "plain") { Charset = "us-ascii" }
            : entity.ContentType;

    private static bool IsField(ReadOnlySpan<byte> at, Header header) =>
        at.StartsWith(header.RawField) && at.Length >= header.RawField.Length + 1 + header.RawValue.Length
        && at[header.RawField.Length] == ':' && at[(header.RawField.Length + 1)..].StartsWith(header.RawValue);

    private static int NextLine(ReadOnlySpan<byte> data, int position)
    {
        var lf = data[position..].IndexOf((byte)'\n');
        return lf < 0 ? data.Length : position + lf + 1;
    }

    private sealed class Entry(MimeEntity entity, long begin, MimeMessage? message)
    {
        public List<Entry> Children { get; } = [];

        public long HeadersEnd { get; set; }

        public long End { get; set; }

        public MimeNode ToNode(ReadOnlySpan<byte> data)
        {
            var headers = message is null ? entity.Headers.AsEnumerable() : message.Headers.Concat(entity.Headers);
            var fields = new List<HeaderField>();
            // The fields follow one another from the entity's first octet in the order of their offsets (MimeKit reports
            // the first one's offset a little early, which keeps it first); each is its raw name, ":" and raw value. Lines
            // MimeKit passed over (junk before an encapsulated message's header) are skipped to the next field.
            var position = (int)begin;
            foreach (var header in headers.OrderBy(h => h.Offset))
            {
                var at = position;
                while (at < data.Length && !IsField(data[at..], header)) at = NextLine(data, at);
                // Not found: a line that is no field (no colon, or cut off), which MimeKit keeps as a name without a value.
                if (at >= data.Length) continue;
                var valueStart = at + header.RawField.Length + 1;
                var end = valueStart + header.RawValue.Length;
                fields.Add(new HeaderField(header.Field, at, end, valueStart));
                position = end;
            }
            var children = new List<MimeNode>(Children.Count);
            foreach (var child in Children) children.Add(child.ToNode(data));
            return new MimeNode
            {
                HeaderStart = (int)begin,
                BodyStart = (int)HeadersEnd,
                BodyEnd = (int)End,
                Fields = fields,
                ContentType = ContentTypeOf(entity, fields),
                Parts = entity is Multipart ? children : [],
                Message = entity is MessagePart && children.Count > 0 ? children[0] : null,
            };
        }
    }
}
