using System.Text;

namespace Mail.Grains.Delivery.Sieve;

/// <summary>
/// The lexer of RFC 5228 §8.1: identifiers, tags, numbers with K/M/G quantifiers, quoted strings (only \" and \\ are
/// escapes, §2.4.2), multi-line "text:" strings with dot-unstuffing (§8.1), "#" and bracketed comments. Lines end in
/// CRLF or LF. Every token carries its line and column, so errors point at the script.
/// </summary>
public sealed class SieveLexer(string script)
{
    private int _position;
    private int _line = 1;
    private int _lineStart;

    /// <summary>All tokens, ending with <see cref="SieveTokenKind.End"/>.</summary>
    public static List<SieveToken> Tokenize(string script)
    {
        var lexer = new SieveLexer(script);
        var tokens = new List<SieveToken>();
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == SieveTokenKind.End) return tokens;
        }
    }

    private int Column => _position - _lineStart + 1;

    private SieveToken Next()
    {
        SkipWhitespaceAndComments();
        var line = _line;
        var column = Column;
        if (_position >= script.Length) return new SieveToken(SieveTokenKind.End, "", 0, line, column);
        var c = script[_position];
        if (c is ';' or ',' or '(' or ')' or '[' or ']' or '{' or '}')
        {
            _position++;
            return new SieveToken(SieveTokenKind.Punctuation, c.ToString(), 0, line, column);
        }
        if (c == '"') return new SieveToken(SieveTokenKind.String, QuotedString(line, column), 0, line, column);
        if (c == ':')
        {
            _position++;
            if (_position >= script.Length || !IsIdentifierStart(script[_position])) throw new SieveException("a tag needs a name after ':'", line, column);
            return new SieveToken(SieveTokenKind.Tag, Identifier().ToLowerInvariant(), 0, line, column);
        }
        if (char.IsAsciiDigit(c)) return new SieveToken(SieveTokenKind.Number, "", Number(line, column), line, column);
        if (IsIdentifierStart(c))
        {
            var name = Identifier();
            if (name.Equals("text", StringComparison.OrdinalIgnoreCase) && _position < script.Length && script[_position] == ':')
            {
                _position++;
                return new SieveToken(SieveTokenKind.String, MultiLine(line, column), 0, line, column);
            }
            return new SieveToken(SieveTokenKind.Identifier, name.ToLowerInvariant(), 0, line, column);
        }
        throw new SieveException($"unexpected character '{c}'", line, column);
    }

    private void SkipWhitespaceAndComments()
    {
        while (_position < script.Length)
        {
            var c = script[_position];
            if (c == '\n')
            {
                NewLine();
            }
            else if (c is ' ' or '\t' or '\r')
            {
                _position++;
            }
            else if (c == '#')
            {
                while (_position < script.Length && script[_position] != '\n') _position++;
            }
            else if (c == '/' && _position + 1 < script.Length && script[_position + 1] == '*')
            {
                var (line, column) = (_line, Column);
                _position += 2;
                while (true)
                {
                    if (_position + 1 >= script.Length) throw new SieveException("unterminated /* comment", line, column);
                    if (script[_position] == '*' && script[_position + 1] == '/')
                    {
                        _position += 2;
                        break;
                    }
                    if (script[_position] == '\n') NewLine();
                    else _position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private void NewLine()
    {
        _position++;
        _line++;
        _lineStart = _position;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private string Identifier()
    {
        var start = _position;
        while (_position < script.Length && (char.IsAsciiLetterOrDigit(script[_position]) || script[_position] == '_')) _position++;
        return script[start.._position];
    }

    private long Number(int line, int column)
    {
        var start = _position;
        while (_position < script.Length && char.IsAsciiDigit(script[_position])) _position++;
        if (!long.TryParse(script.AsSpan(start, _position - start), out var value) || value > uint.MaxValue)
        {
            throw new SieveException("number too large", line, column);
        }
        if (_position < script.Length && char.ToUpperInvariant(script[_position]) is 'K' or 'M' or 'G')
        {
            value *= char.ToUpperInvariant(script[_position]) switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1L << 30 };
            _position++;
        }
        return value;
    }

    private string QuotedString(int line, int column)
    {
        _position++;
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= script.Length) throw new SieveException("unterminated string", line, column);
            var c = script[_position];
            if (c == '"')
            {
                _position++;
                return builder.ToString().Replace("\r\n", "\n").Replace("\n", "\r\n");
            }
            if (c == '\\' && _position + 1 < script.Length)
            {
                // RFC 5228 §2.4.2: only \" and \\ are defined; a backslash before anything else is dropped.
                _position++;
                builder.Append(script[_position]);
                if (script[_position] == '\n') NewLine();
                else _position++;
                continue;
            }
            builder.Append(c);
            if (c == '\n') NewLine();
            else _position++;
        }
    }

    private string MultiLine(int line, int column)
    {
        // "text:" *(SP / HTAB) (hash-comment / CRLF), then lines until a lone ".".
        while (_position < script.Length && script[_position] is ' ' or '\t') _position++;
        if (_position < script.Length && script[_position] == '#')
        {
            while (_position < script.Length && script[_position] != '\n') _position++;
        }
        if (_position < script.Length && script[_position] == '\r') _position++;
        if (_position >= script.Length || script[_position] != '\n') throw new SieveException("text: must be followed by a line break", line, column);
        NewLine();
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= script.Length) throw new SieveException("unterminated text: string (a line with a single '.' ends it)", line, column);
            var end = script.IndexOf('\n', _position);
            var content = end < 0 ? script[_position..] : script[_position..end];
            if (content.EndsWith('\r')) content = content[..^1];
            if (end < 0)
            {
                _position = script.Length;
            }
            else
            {
                _position = end;
                NewLine();
            }
            if (content == ".") return builder.ToString();
            builder.Append(content.StartsWith("..", StringComparison.Ordinal) ? content[1..] : content).Append("\r\n");
        }
    }
}
