using MimeKit;

namespace Mail.Mime;

/// <summary>Reads the mailboxes of a message's From field (RFC 5322 §3.6.2) with MimeKit, from the message's first bytes.</summary>
public static class HeaderFromReader
{
    /// <summary>
    /// The addresses of every mailbox in the From field (group members included), or null when they cannot be known for
    /// sure: the header section does not end within <paramref name="prefix"/> (a From field could follow), there is more
    /// than one From field (RFC 5322 §3.6 allows one; RFC 7489 §6.6.1), or the field does not parse.
    /// </summary>
    public static IReadOnlyList<string>? Read(ReadOnlyMemory<byte> prefix)
    {
        var span = prefix.Span;
        var end = span.StartsWith("\r\n"u8) ? 0 : span.IndexOf("\r\n\r\n"u8);
        if (end < 0) return null;
        using var stream = new MemoryStream(prefix[..(end + 2)].ToArray(), writable: false);
        var fields = HeaderList.Load(stream).Where(h => h.Id == HeaderId.From).ToList();
        if (fields.Count == 0) return [];
        if (fields.Count > 1 || !InternetAddressList.TryParse(fields[0].RawValue, out var list)) return null;
        return list.Mailboxes.Select(m => m.Address).ToList();
    }
}
