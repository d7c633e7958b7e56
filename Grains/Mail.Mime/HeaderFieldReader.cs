using MimeKit;

namespace Mail.Mime;

/// <summary>Reads one header field of a message (RFC 5322 §2.2) from the message's first bytes.</summary>
public static class HeaderFieldReader
{
    /// <summary>
    /// The unfolded, trimmed value of the first field named <paramref name="name"/> in the header section at the start of
    /// <paramref name="prefix"/>; null when there is none or the header section does not end within the prefix.
    /// </summary>
    public static string? First(ReadOnlyMemory<byte> prefix, string name)
    {
        var span = prefix.Span;
        var end = span.StartsWith("\r\n"u8) ? 0 : span.IndexOf("\r\n\r\n"u8);
        if (end < 0) return null;
        using var stream = new MemoryStream(prefix[..(end + 2)].ToArray(), writable: false);
        var field = HeaderList.Load(stream).FirstOrDefault(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase));
        return field?.Value.Trim();
    }
}
