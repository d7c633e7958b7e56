using System.Buffers;
using System.Text;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// Which literals a session streams into the blob store as they arrive (<see cref="StreamedLiteral"/>) rather than
/// keeping them in the command: APPEND messages (not literal8) (RFC 9051 §6.3.12) of at least <see cref="Threshold"/> octets, each of
/// them in a MULTIAPPEND (RFC 3502) too, but not CATENATE TEXT parts (RFC 4469 §5), which are pieces of a message.
/// Smaller literals stay in the command, whose size the framer's limits bound.
/// </summary>
public static class AppendLiteralRule
{
    /// <summary>Smallest APPEND literal streamed.</summary>
    public const int Threshold = 64 * 1024;

    /// <summary>Whether the literal announced at the end of <paramref name="line"/> is streamed (<see cref="Protocol.CommandFramer.StreamLiteral"/>).</summary>
    public static bool Streams(ReadOnlyMemory<byte> earlierLines, ReadOnlySequence<byte> line, long size)
    {
        if (size < Threshold) return false;
        // "tag APPEND ...", tags being at most 64 octets; the command's first line is the earlier lines' start, or this one.
        Span<byte> head = stackalloc byte[64 + 1 + 7];
        scoped ReadOnlySpan<byte> first;
        if (earlierLines.IsEmpty)
        {
            var length = (int)Math.Min(line.Length, head.Length);
            line.Slice(0, length).CopyTo(head);
            first = head[..length];
        }
        else
        {
            first = earlierLines.Span[..Math.Min(earlierLines.Length, head.Length)];
        }
        var space = first.IndexOf((byte)' ');
        if (space < 0 || first.Length - space - 1 < 7 || !Ascii.EqualsIgnoreCase(first.Slice(space + 1, 7), "APPEND "u8)) return false;
        var text = Encoding.ASCII.GetString(line.Slice(Math.Max(0, line.Length - 40)).ToArray());
        var brace = text.LastIndexOf('{');
        // A literal8 (RFC 3516 §4.4) stays in the command: its binary parts are re-encoded before it is stored.
        if (brace > 0 && text[brace - 1] == '~') return false;
        var before = text[..brace].TrimEnd();
        return !before.EndsWith("TEXT", StringComparison.OrdinalIgnoreCase);
    }
}
