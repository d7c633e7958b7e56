using MimeKit;

namespace Mail.Frontends.Imap.Mime;

/// <summary>
/// APPEND of a literal8 (RFC 3516 §4.4) may carry parts in binary, whose octets (NUL included) cannot go out in the
/// literal of a BODY[] answer. As Dovecot does, such parts are stored base64-encoded: BODY[] is then valid IMAP, and
/// BINARY[] and BINARY.SIZE[] (which decode) give back the octets that were appended.
/// </summary>
public static class BinaryAppend
{
    /// <summary>The message with its binary parts base64-encoded, or null when it has none (or MimeKit cannot read it).</summary>
    public static byte[]? Encode(ReadOnlyMemory<byte> message)
    {
        MimeMessage parsed;
        try
        {
            parsed = MimeMessage.Load(new MemoryStream(message.ToArray(), writable: false));
        }
        catch (FormatException)
        {
            return null;
        }
        var changed = false;
        foreach (var part in Leaves(parsed.Body))
        {
            if (part.Content is not { } content || !NeedsEncoding(part, content)) continue;
            part.ContentTransferEncoding = ContentEncoding.Base64;
            changed = true;
        }
        if (!changed) return null;
        using var output = new MemoryStream();
        parsed.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, output);
        return output.ToArray();
    }

    private static IEnumerable<MimePart> Leaves(MimeEntity? entity) => entity switch
    {
        Multipart multipart => multipart.SelectMany(Leaves),
        MessagePart { Message: { } inner } => Leaves(inner.Body),
        MimePart part => [part],
        _ => [],
    };

    /// <summary>A part declared binary, or one whose octets hold a NUL (RFC 2045 §2.7-2.8: not 7bit or 8bit data).</summary>
    private static bool NeedsEncoding(MimePart part, IMimeContent content)
    {
        if (part.ContentTransferEncoding == ContentEncoding.Binary) return true;
        if (part.ContentTransferEncoding is not (ContentEncoding.Default or ContentEncoding.SevenBit or ContentEncoding.EightBit)) return false;
        using var octets = new MemoryStream();
        content.WriteTo(octets);
        return octets.GetBuffer().AsSpan(0, (int)octets.Length).Contains((byte)0);
    }
}
