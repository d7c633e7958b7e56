using System.Buffers;
using Mail.Frontends.Hosting;
using Mail.Frontends.Smtp.Protocol;
using Mail.Frontends.Smtp.Session;

namespace Mail.Fuzz.Targets;

/// <summary>
/// The SMTP command side as the connection handler drives it: bounded lines (RFC 5321 §4.5.3.1.4), the verb split,
/// MAIL/RCPT paths and parameters (§4.1.2), the EHLO/HELO control check, and trace-field printing.
/// </summary>
public static class SmtpCommandTarget
{
    private const int MaxLineLength = 2048;

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
            FuzzInvariantException.Check(line.Length < MaxLineLength, "a line over the bound was returned");
            FuzzInvariantException.Check(line.PositionOf((byte)'\n') is null, "a line holds its LF");
            Command(SmtpCommand.Parse(line));
        }
    }

    private static void Command(SmtpCommand command)
    {
        FuzzInvariantException.Check(command.Verb == command.Verb.ToUpperInvariant(), "verb not upper case");
        switch (command.Verb)
        {
            case "MAIL":
                Path(PathArgument.Parse(command.Argument, "FROM", allowNull: true));
                break;
            case "RCPT":
                Path(PathArgument.Parse(command.Argument, "TO", allowNull: false));
                break;
            case "EHLO" or "HELO":
                if (!ControlCharacters.AnyIn(command.Argument)) Printable(command.Argument);
                break;
        }
    }

    private static void Path((PathArgument? Path, string? Error) parsed)
    {
        FuzzInvariantException.Check((parsed.Path is null) != (parsed.Error is null), "a path parse gives exactly one of path and error");
        if (parsed.Path is not { } path) return;
        FuzzInvariantException.Check(path.Address.Length <= PathArgument.MaxPathLength, "path longer than the bound");
        FuzzInvariantException.Check(!ControlCharacters.AnyIn(path.Address), "control character in an accepted path");
        if (path.Address.Length > 0)
        {
            var at = path.Address.LastIndexOf('@');
            FuzzInvariantException.Check(at > 0, "accepted path without a local part and '@'");
            var local = path.Address[..at];
            FuzzInvariantException.Check(IsQuotedString(local) || local.IndexOfAny(['<', '>', '"', '\\', ' ', '@', ':']) < 0, "special character outside quotes in an accepted path");
            // What goes into Return-Path <...> must read back as the same path.
            var again = PathArgument.Parse($"TO:<{path.Address}>", "TO", allowNull: false).Path;
            FuzzInvariantException.Check(again?.Address == path.Address, "an accepted path does not parse back as itself");
        }
        foreach (var (key, value) in path.Parameters)
        {
            FuzzInvariantException.Check(key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'), "bad parameter name accepted");
            FuzzInvariantException.Check(value is null || !value.Contains(' '), "parameter value with a space");
        }
        Printable(path.Address);
    }

    /// <summary>A quoted-string (RFC 5321 §4.1.2): quotes around text where '"' and '\\' appear only escaped.</summary>
    private static bool IsQuotedString(string text)
    {
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"') return false;
        for (var i = 1; i < text.Length - 1; i++)
        {
            if (text[i] == '\\') i++;
            else if (text[i] == '"') return false;
        }
        return true;
    }

    private static void Printable(string text)
    {
        var printed = TraceHeaders.Printable(text);
        FuzzInvariantException.Check(!ControlCharacters.AnyIn(printed), "control character in a trace field value");
    }
}
