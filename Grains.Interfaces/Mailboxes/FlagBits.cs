namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>
/// The IMAP system flags (RFC 9051 §2.3.2) as one byte, the form a <see cref="FolderMap"/> keeps per message;
/// keywords are kept beside it. Flag lists made from bits come in this order: \Seen \Answered \Flagged \Deleted \Draft.
/// </summary>
public static class FlagBits
{
    /// <summary>\Seen.</summary>
    public const byte Seen = 1;

    /// <summary>\Answered.</summary>
    public const byte Answered = 2;

    /// <summary>\Flagged.</summary>
    public const byte Flagged = 4;

    /// <summary>\Deleted.</summary>
    public const byte Deleted = 8;

    /// <summary>\Draft.</summary>
    public const byte Draft = 16;

    private static readonly string[] Names = [MessageFlags.Seen, MessageFlags.Answered, MessageFlags.Flagged, MessageFlags.Deleted, MessageFlags.Draft];

    // One shared list per combination, so a page of flags read from memory allocates nothing for messages without keywords.
    private static readonly string[][] Lists = Enumerable.Range(0, 32)
        .Select(bits => Names.Where((_, i) => (bits & (1 << i)) != 0).ToArray()).ToArray();

    /// <summary>The bit of a system flag (exact spelling), or 0 for a keyword.</summary>
    public static byte Of(string flag) => Array.IndexOf(Names, flag) is var i and >= 0 ? (byte)(1 << i) : (byte)0;

    /// <summary>Splits a flag list into system flag bits and keywords (null when there are none).</summary>
    public static byte Split(IReadOnlyList<string> flags, out string[]? keywords)
    {
        byte bits = 0;
        List<string>? rest = null;
        foreach (var flag in flags)
        {
            var bit = Of(flag);
            if (bit != 0) bits |= bit;
            else (rest ??= []).Add(flag);
        }
        keywords = rest?.ToArray();
        return bits;
    }

    /// <summary>The flag list of <paramref name="bits"/> and <paramref name="keywords"/>: system flags first.</summary>
    public static IReadOnlyList<string> ToList(byte bits, string[]? keywords) =>
        keywords is not { Length: > 0 } ? Lists[bits & 31] : [.. Lists[bits & 31], .. keywords];
}
