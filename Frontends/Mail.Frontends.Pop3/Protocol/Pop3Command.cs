using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Mail.Frontends.Pop3.Protocol;

/// <summary>
/// A command line (RFC 1939 §3): a case-insensitive keyword of three or four letters, then arguments
/// separated by single spaces. <see cref="Argument"/> keeps the text after the keyword whole, because
/// PASS takes the rest of the line as one argument, spaces included (RFC 1939 §7).
/// </summary>
public sealed record Pop3Command(string Keyword, string Argument)
{
    /// <summary>The arguments split at single spaces (a doubled space yields an empty one, which handlers refuse); empty when there are none.</summary>
    public IReadOnlyList<string> Arguments => Argument.Length == 0 ? [] : Argument.Split(' ');

    /// <summary>
    /// Parses a line (without CRLF). Refused, with the reason in <paramref name="error"/>: an empty line, a
    /// keyword that is not 3-4 ASCII letters, or control characters. Argument counts are the handlers' to
    /// check. The line is decoded as UTF-8 so that non-ASCII passwords reach the account check.
    /// </summary>
    public static bool TryParse(ReadOnlySequence<byte> line, [NotNullWhen(true)] out Pop3Command? command, [NotNullWhen(false)] out string? error)
    {
        command = null;
        var text = Encoding.UTF8.GetString(line);
        if (text.Length == 0)
        {
            error = "empty command";
            return false;
        }
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                error = "control characters in command";
                return false;
            }
        }
        var space = text.IndexOf(' ');
        var keyword = space < 0 ? text : text[..space];
        if (keyword.Length is < 3 or > 4 || !keyword.All(char.IsAsciiLetter))
        {
            error = "malformed command";
            return false;
        }
        command = new Pop3Command(keyword.ToUpperInvariant(), space < 0 ? "" : text[(space + 1)..]);
        error = null;
        return true;
    }
}
