using Mail.Frontends.Imap.Protocol;
using MimeKit.Encodings;

namespace Mail.Frontends.Imap.Mime;

/// <summary>Cuts the octets of a body section (RFC 9051 §6.4.5) or a decoded BINARY section (RFC 3516 §4.2) out of a message.</summary>
public static class SectionReader
{
    /// <summary>The section's octets before any partial, or null when the message has no such part.</summary>
    public static ReadOnlyMemory<byte>? Read(ReadOnlyMemory<byte> message, MimeNode root, BodySection section)
    {
        if (section.Part.Count == 0)
        {
            return section.Kind == SectionKind.All ? message[root.HeaderStart..root.BodyEnd] : MessageText(message, root, section);
        }
        var node = Resolve(root, section.Part);
        if (node is null) return null;
        return section.Kind switch
        {
            SectionKind.All => message[node.BodyStart..node.BodyEnd],
            SectionKind.Mime => message[node.HeaderStart..node.BodyStart],
            _ => node.Message is { } inner ? MessageText(message, inner, section) : null,
        };
    }

    /// <summary>The decoded content of a part for BINARY; null when the part does not exist, and throws <see cref="InvalidDataException"/> for an unknown transfer encoding.</summary>
    public static ReadOnlyMemory<byte>? ReadBinary(ReadOnlyMemory<byte> message, MimeNode root, BodySection section)
    {
        if (section.Part.Count == 0) return message[root.HeaderStart..root.BodyEnd];
        var node = Resolve(root, section.Part);
        if (node is null) return null;
        var body = message[node.BodyStart..node.BodyEnd];
        if (node.IsMultipart || node.Message is not null) return body;
        var encoding = (MimeStructure.HeaderValue(message.Span, node, "Content-Transfer-Encoding") ?? "7bit").Trim().ToLowerInvariant();
        switch (encoding)
        {
            case "7bit" or "8bit" or "binary" or "":
                return body;
            case "quoted-printable":
                return QuotedPrintable.Decode(body.Span);
            case not "base64":
                throw new InvalidDataException($"Unknown content transfer encoding {encoding}");
        }
        var decoder = new Base64Decoder();
        var input = body.ToArray();
        var output = new byte[decoder.EstimateOutputLength(input.Length)];
        var length = decoder.Decode(input, 0, input.Length, output);
        return output.AsMemory(0, length);
    }

    /// <summary>Applies a partial &lt;start.length&gt; (RFC 9051 §6.4.5): past the end gives the empty string.</summary>
    public static ReadOnlyMemory<byte> Partial(ReadOnlyMemory<byte> content, BodySection section)
    {
        if (section.PartialStart is not { } start) return content;
        if (start >= content.Length) return ReadOnlyMemory<byte>.Empty;
        var length = Math.Min(section.PartialLength ?? long.MaxValue, content.Length - start);
        return content.Slice((int)start, (int)length);
    }

    /// <summary>The entity named by part numbers: part 1 of a non-multipart is its body; inside message/rfc822 the numbers go on in the encapsulated message.</summary>
    public static MimeNode? Resolve(MimeNode root, IReadOnlyList<int> path)
    {
        MimeNode? node = null;
        var container = root;
        for (var i = 0; i < path.Count; i++)
        {
            if (i > 0)
            {
                if (node!.Message is { } inner) container = inner;
                else if (node.IsMultipart) container = node;
                else return null;
            }
            var n = path[i];
            if (container.IsMultipart)
            {
                if (n > container.Parts.Count) return null;
                node = container.Parts[n - 1];
            }
            else if (n == 1) node = container;
            else return null;
        }
        return node;
    }

    private static ReadOnlyMemory<byte> MessageText(ReadOnlyMemory<byte> message, MimeNode node, BodySection section)
    {
        switch (section.Kind)
        {
            case SectionKind.Header:
                return message[node.HeaderStart..node.BodyStart];
            case SectionKind.Text:
                return message[node.BodyStart..node.BodyEnd];
            default:
            {
                var wanted = new HashSet<string>(section.Fields, StringComparer.OrdinalIgnoreCase);
                var keep = section.Kind == SectionKind.HeaderFields;
                var buffer = new MemoryStream();
                foreach (var field in node.Fields)
                {
                    if (wanted.Contains(field.Name) != keep) continue;
                    buffer.Write(message.Span[field.Start..field.End]);
                    if (message.Span[field.End - 1] != '\n') buffer.Write("\r\n"u8);
                }
                buffer.Write("\r\n"u8);
                return buffer.ToArray();
            }
        }
    }
}
