using System.Buffers;
using System.Text;

namespace Mail.Frontends.Smtp.Protocol;

/// <summary>A command line split into its verb (upper case) and argument (RFC 5321 §4.1.1).</summary>
public sealed record SmtpCommand(string Verb, string Argument)
{
    /// <summary>Parses a command line (without CRLF); SMTPUTF8 (RFC 6531) allows UTF-8 in addresses, so the line is read as UTF-8.</summary>
    public static SmtpCommand Parse(ReadOnlySequence<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        var space = text.IndexOf(' ');
        var verb = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var argument = space < 0 ? "" : text[(space + 1)..];
        return new SmtpCommand(verb, argument);
    }
}
