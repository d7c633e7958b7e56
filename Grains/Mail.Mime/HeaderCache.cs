using System.Collections.Frozen;

namespace Mail.Mime;

/// <summary>
/// The header fields kept with a message's row (as Dovecot keeps them in its cache file), so that listing
/// a folder (IMAP ENVELOPE, BODY.PEEK[HEADER.FIELDS (...)] as Thunderbird and Apple Mail ask for it, SORT
/// and THREAD) reads no blob. The cache is the raw octets of those fields, in their original order and
/// folding, then the empty line: parsing it gives the same values as parsing the whole header.
/// </summary>
public static class HeaderCache
{
    /// <summary>Largest cache kept; a message whose cached fields are longer is served from its blob.</summary>
    public const int MaxBytes = 8 * 1024;

    /// <summary>
    /// The cached field names: RFC 9051 §7.5.2's ENVELOPE fields, those RFC 5256 SORT and THREAD read, and
    /// what common clients list a folder with.
    /// </summary>
    public static readonly FrozenSet<string> Fields = new[]
    {
        "Date", "Subject", "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "In-Reply-To", "Message-ID", "References",
        "Content-Type", "Priority", "X-Priority", "Importance", "Newsgroups", "List-Id", "List-Post", "X-Mailer",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether every one of <paramref name="names"/> is a cached field.</summary>
    public static bool Covers(IEnumerable<string> names) => names.All(Fields.Contains);

    /// <summary>
    /// The cached fields of the message starting at <paramref name="message"/>'s first octet, or null when its
    /// header does not end within those octets or the fields exceed <see cref="MaxBytes"/>.
    /// </summary>
    public static byte[]? Extract(ReadOnlySpan<byte> message)
    {
        using var kept = new MemoryStream();
        var keeping = false;
        var position = 0;
        while (position < message.Length)
        {
            var newline = message[position..].IndexOf((byte)'\n');
            if (newline < 0) return null; // the header goes on past what we were given
            var line = message.Slice(position, newline + 1);
            position += newline + 1;
            if (line.Length == 1 || line is [(byte)'\r', (byte)'\n'])
            {
                kept.Write(line);
                return kept.Length > MaxBytes ? null : kept.ToArray();
            }
            if (line[0] is not ((byte)' ' or (byte)'\t'))
            {
                var colon = line.IndexOf((byte)':');
                keeping = colon > 0 && Fields.Contains(FieldName(line[..colon]));
            }
            if (keeping) kept.Write(line);
            if (kept.Length > MaxBytes) return null;
        }
        return null;
    }

    /// <summary>The field name before the colon, less the WSP that RFC 5322 §4.5.3 (obs-optional) allows there, in any mix.</summary>
    private static string FieldName(ReadOnlySpan<byte> name)
    {
        var trimmed = name.TrimEnd(" \t"u8);
        return System.Text.Encoding.Latin1.GetString(trimmed);
    }
}
