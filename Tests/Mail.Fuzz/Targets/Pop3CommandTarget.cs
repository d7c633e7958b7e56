using System.Buffers;
using Mail.Frontends.Hosting;
using Mail.Frontends.Pop3.Protocol;

namespace Mail.Fuzz.Targets;

/// <summary>
/// POP3 commands as the connection handler reads them (RFC 1939 §3, RFC 2449 §4: bounded lines), with the numeric
/// arguments of LIST/RETR/DELE/TOP/UIDL (RFC 1939 §5, §7), and TOP's cut of a message (the input read as a message).
/// </summary>
public static class Pop3CommandTarget
{
    private const int MaxLineLength = 512;

    /// <summary>Reads every line of <paramref name="input"/> as a client command.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input.ToArray()));
        while (!reader.End)
        {
            var status = LineReader.TryRead(ref reader, MaxLineLength, out var line);
            if (status == LineStatus.Incomplete) break;
            if (status == LineStatus.TooLong)
            {
                if (!LineReader.TrySkipLine(ref reader)) break;
                continue;
            }
            if (!Pop3Command.TryParse(line, out var command, out var error))
            {
                FuzzInvariantException.Check(error is { Length: > 0 }, "refused without a reason");
                continue;
            }
            FuzzInvariantException.Check(command.Keyword.Length is 3 or 4 && command.Keyword.All(char.IsAsciiLetterUpper), "bad keyword accepted");
            FuzzInvariantException.Check(!command.Argument.Any(char.IsControl), "control character in an accepted argument");
            foreach (var argument in command.Arguments)
            {
                if (MessageNumber.TryParse(argument, out var number)) FuzzInvariantException.Check(number >= 1, "message number below 1");
                if (MessageNumber.TryParseCount(argument, out var count)) FuzzInvariantException.Check(count >= 0, "negative count");
            }
        }
        Top(input);
    }

    /// <summary>TOP takes a prefix of the message, the same however the message is split, and never more than it is given.</summary>
    private static void Top(ReadOnlySpan<byte> message)
    {
        var lines = message.IsEmpty ? 0 : message[0] % 4;
        var whole = new TopFilter(lines).Take(message);
        FuzzInvariantException.Check(whole >= 0 && whole <= message.Length, "TOP took more than the message");
        var filter = new TopFilter(lines);
        var taken = 0;
        for (var i = 0; i < message.Length && !filter.Done; i++)
        {
            var n = filter.Take(message.Slice(i, 1));
            FuzzInvariantException.Check(n is 0 or 1, "TOP took more than one byte of a one-byte piece");
            taken += n;
            if (n == 0) break;
        }
        FuzzInvariantException.Check(taken == whole, "TOP's cut depends on how the message is split");
    }
}
