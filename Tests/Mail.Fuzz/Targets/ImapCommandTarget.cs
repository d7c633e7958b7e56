using System.Buffers;
using System.Text;
using Mail.Frontends.Imap.Protocol;

namespace Mail.Fuzz.Targets;

/// <summary>
/// IMAP commands as a session reads them: the framer (lines, literals {n} and {n+}, RFC 9051 §4.3, RFC 7888) over the
/// input as it arrives, then the parser (RFC 9051 §9) on each framed command, and the modified UTF-7 mailbox names
/// (RFC 3501 §5.1.3) of what parses.
/// </summary>
public static class ImapCommandTarget
{
    // Authenticated bounds as the session sets them, with a literal bound small enough for the fuzzer to cross.
    private static readonly ImapLimits Limits = new(MaxLineLength: 1024, MaxLiteralBytes: 4096, MaxCommandBytes: 8192, MaxNesting: 16);

    /// <summary>Frames the input twice (whole, then in small pieces), requires the same commands, and parses them.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        var whole = Frame(input, input.Length);
        var pieces = Frame(input, input.Length <= 2048 ? 1 : 61);
        FuzzInvariantException.Check(whole.SequenceEqual(pieces), "framing depends on how the input arrives");
        foreach (var frame in whole)
        {
            if (frame.Status != FrameStatus.Complete) continue;
            Parse(Encoding.Latin1.GetBytes(frame.Command));
        }
        Names(Encoding.UTF8.GetString(input));
    }

    private sealed record FramedCommand(FrameStatus Status, string Command, string? Tag, string? Error, bool TooBig);

    /// <summary>What the framer makes of the input delivered <paramref name="chunk"/> bytes at a time, as a pipe would re-present unread bytes.</summary>
    private static List<FramedCommand> Frame(ReadOnlySpan<byte> input, int chunk)
    {
        var frames = new List<FramedCommand>();
        var framer = new CommandFramer(Limits);
        var pending = new List<byte>();
        var offset = 0;
        while (offset < input.Length)
        {
            var take = Math.Max(1, Math.Min(chunk, input.Length - offset));
            pending.AddRange(input.Slice(offset, take));
            offset += take;
            while (true)
            {
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pending.ToArray()));
                var status = framer.Read(ref reader);
                FuzzInvariantException.Check(reader.Consumed <= pending.Count, "framer consumed more than it was given");
                pending.RemoveRange(0, (int)reader.Consumed);
                if (status == FrameStatus.Incomplete) break;
                if (status == FrameStatus.Continue) continue;
                FuzzInvariantException.Check(framer.Command.Length <= Limits.MaxCommandBytes, "framed command over the bound");
                frames.Add(new FramedCommand(status, Encoding.Latin1.GetString(framer.Command.Span), framer.Tag, framer.Error, framer.TooBig));
                if (status == FrameStatus.Fatal) return frames;
                framer.Reset();
            }
        }
        return frames;
    }

    private static void Parse(byte[] command)
    {
        var ok = ImapCommandParser.TryParse(command, Limits.MaxNesting, out var parsed, out var tag, out var error);
        if (!ok)
        {
            FuzzInvariantException.Check(error is not null, "refused without a reason");
            return;
        }
        FuzzInvariantException.Check(parsed is not null && tag == parsed.Tag && parsed.Tag.Length > 0, "parsed without a tag");
        FuzzInvariantException.Check(parsed!.Name == parsed.Name.ToUpperInvariant(), "command name not upper case");
        switch (parsed)
        {
            case MailboxCommand m: Names(m.Mailbox); break;
            case SelectCommand s: Names(s.Mailbox); break;
            case StatusCommand s: Names(s.Mailbox); break;
            case RenameCommand r: Names(r.From); Names(r.To); break;
            case CopyCommand c: Names(c.Mailbox); break;
            case AppendCommand a: Names(a.Mailbox); break;
        }
    }

    /// <summary>Decoding never fails, and a name without lone surrogates survives encoding and decoding.</summary>
    private static void Names(string name)
    {
        MailboxNameCodec.DecodeUtf7(name);
        if (!IsWellFormed(name)) return;
        var encoded = MailboxNameCodec.EncodeUtf7(name);
        FuzzInvariantException.Check(encoded.All(c => c is >= (char)0x20 and <= (char)0x7E), "modified UTF-7 is not printable ASCII");
        FuzzInvariantException.Check(MailboxNameCodec.DecodeUtf7(encoded) == name, "modified UTF-7 does not round-trip");
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }
        return true;
    }
}
