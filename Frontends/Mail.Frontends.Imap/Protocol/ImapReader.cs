using System.Text;

namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// Reads the tokens of one framed command (RFC 9051 §9): atoms, numbers, quoted strings, literals (whose octets
/// follow their announcement in the buffer), lists and sequence sets, with a bound on nesting.
/// </summary>
internal sealed class ImapReader(ReadOnlyMemory<byte> data, int maxNesting)
{
    private int _pos;
    private int _depth;

    public bool AtEnd => _pos >= data.Length;

    public int Peek() => _pos < data.Length ? data.Span[_pos] : -1;

    public void Sp()
    {
        if (Peek() != ' ') throw Error("Expected a space");
        _pos++;
    }

    public bool TrySp()
    {
        if (Peek() != ' ') return false;
        _pos++;
        return true;
    }

    public bool TryChar(char c)
    {
        if (Peek() != c) return false;
        _pos++;
        return true;
    }

    public void Expect(char c)
    {
        if (!TryChar(c)) throw Error($"Expected '{c}'");
    }

    public void End()
    {
        if (!AtEnd) throw Error("Unexpected characters at end of command");
    }

    /// <summary>Enters a nested list or search key; fails past the nesting bound.</summary>
    public void Enter()
    {
        if (++_depth > maxNesting) throw Error($"Nesting deeper than {maxNesting}");
    }

    public void Leave() => _depth--;

    public string Atom() => Chars(ImapSyntax.IsAtomChar, "atom");

    /// <summary>The atom at the current position without consuming it ("" if none).</summary>
    public string PeekAtom()
    {
        var span = data.Span;
        var end = _pos;
        while (end < span.Length && ImapSyntax.IsAtomChar(span[end])) end++;
        return Encoding.ASCII.GetString(span[_pos..end]);
    }

    /// <summary>Consumes <paramref name="text"/> (ASCII, case-insensitive) when the input continues with it.</summary>
    public bool TryText(string text)
    {
        var span = data.Span;
        if (span.Length - _pos < text.Length) return false;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.ToUpperInvariant((char)span[_pos + i]) != char.ToUpperInvariant(text[i])) return false;
        }
        _pos += text.Length;
        return true;
    }

    /// <summary>A tag: ASTRING-CHAR except "+".</summary>
    public string Tag() => Chars(b => ImapSyntax.IsAStringChar(b) && b != (byte)'+', "tag");

    /// <summary>Reads characters up to (not including) any of the stop characters, SP, or the end.</summary>
    public string Until(string stops)
    {
        var start = _pos;
        var span = data.Span;
        while (_pos < span.Length && span[_pos] != ' ' && stops.IndexOf((char)span[_pos]) < 0 && span[_pos] >= 0x20 && span[_pos] < 0x7F) _pos++;
        if (_pos == start) throw Error("Expected a data item");
        return Encoding.ASCII.GetString(span[start.._pos]);
    }

    public string AString()
    {
        var p = Peek();
        if (p == '"' || p == '{' || IsLiteral8Start()) return Encoding.UTF8.GetString(StringBytes().Span);
        return Chars(ImapSyntax.IsAStringChar, "string");
    }

    public string String() => Encoding.UTF8.GetString(StringBytes().Span);

    public string? NString()
    {
        if (TryNil()) return null;
        return String();
    }

    public bool TryNil()
    {
        var span = data.Span;
        if (_pos + 3 <= span.Length && Ascii.EqualsIgnoreCase(span.Slice(_pos, 3), "NIL"u8)
            && (_pos + 3 == span.Length || !ImapSyntax.IsAStringChar(span[_pos + 3])))
        {
            _pos += 3;
            return true;
        }
        return false;
    }

    /// <summary>A list-mailbox (RFC 9051 §9): list-chars including wildcards, or a string.</summary>
    public string ListMailbox()
    {
        var p = Peek();
        if (p == '"' || p == '{') return String();
        return Chars(ImapSyntax.IsListChar, "mailbox pattern");
    }

    /// <summary>A quoted string or a literal, as octets.</summary>
    public ReadOnlyMemory<byte> StringBytes()
    {
        var p = Peek();
        if (p == '"') return Quoted();
        if (p == '{' || IsLiteral8Start()) return Literal();
        throw Error("Expected a string");
    }

    /// <summary>
    /// Whether a literal8 "~{" (RFC 3516 §4.3) starts here; "~" alone is an ATOM-CHAR, so "~foo" is an atom
    /// (a mailbox name), not a broken literal.
    /// </summary>
    public bool IsLiteral8Start()
    {
        var span = data.Span;
        return _pos + 1 < span.Length && span[_pos] == '~' && span[_pos + 1] == '{';
    }

    public ReadOnlyMemory<byte> Literal()
    {
        TryChar('~');
        Expect('{');
        var size = Number();
        if (!TryChar('+')) TryChar('-');
        Expect('}');
        if (!TryChar('\r') || !TryChar('\n')) throw Error("Expected CRLF after literal");
        if (size > data.Length - _pos) throw Error("Literal shorter than announced");
        var slice = data.Slice(_pos, (int)size);
        _pos += (int)size;
        return slice;
    }

    private ReadOnlyMemory<byte> Quoted()
    {
        Expect('"');
        var span = data.Span;
        var bytes = new List<byte>();
        while (true)
        {
            if (_pos >= span.Length) throw Error("Unterminated quoted string");
            var b = span[_pos++];
            if (b == '"') break;
            if (b is (byte)'\r' or (byte)'\n' or 0) throw Error("Invalid character in quoted string");
            if (b == '\\')
            {
                if (_pos >= span.Length || span[_pos] is not ((byte)'"' or (byte)'\\')) throw Error("Invalid escape in quoted string");
                b = span[_pos++];
            }
            bytes.Add(b);
        }
        return bytes.ToArray();
    }

    /// <summary>number (RFC 9051 §9): up to 2^32-1.</summary>
    public long Number()
    {
        var n = Number64();
        if (n > uint.MaxValue) throw Error("Number too large");
        return n;
    }

    public long NzNumber()
    {
        var n = Number();
        if (n == 0) throw Error("Expected a non-zero number");
        return n;
    }

    /// <summary>number64 (RFC 9051 §9): up to 2^63-1.</summary>
    public long Number64()
    {
        var span = data.Span;
        var start = _pos;
        long n = 0;
        while (_pos < span.Length && span[_pos] is >= (byte)'0' and <= (byte)'9')
        {
            if (_pos - start >= 19) throw Error("Number too large");
            n = n * 10 + (span[_pos++] - '0');
        }
        if (_pos == start) throw Error("Expected a number");
        return n;
    }

    /// <summary>A parenthesized list of items read by <paramref name="item"/>; empty lists allowed when <paramref name="allowEmpty"/>.</summary>
    public List<T> List<T>(Func<T> item, bool allowEmpty = true)
    {
        Expect('(');
        Enter();
        var items = new List<T>();
        if (!TryChar(')'))
        {
            items.Add(item());
            while (TrySp()) items.Add(item());
            Expect(')');
        }
        else if (!allowEmpty) throw Error("Empty list");
        Leave();
        return items;
    }

    /// <summary>A flag: "\" atom or atom (keyword); "\*" only where allowed.</summary>
    public string Flag()
    {
        if (TryChar('\\')) return "\\" + Atom();
        return Atom();
    }

    /// <summary>sequence-set (RFC 9051 §9).</summary>
    public SequenceSet SequenceSet()
    {
        // RFC 5182 §2.1: "$" stands alone, never in a list or a range.
        if (TryChar('$')) return Protocol.SequenceSet.SavedResult;
        var ranges = new List<SequenceRange>();
        do
        {
            var start = SeqNumber();
            var end = start;
            if (TryChar(':')) end = SeqNumber();
            ranges.Add(new SequenceRange(start, end));
            if (ranges.Count > 10_000) throw Error("Sequence set too long");
        }
        while (TryChar(','));
        return new SequenceSet(ranges);
    }

    public bool IsSequenceSetStart() => Peek() is >= '0' and <= '9' or '*' or '$';

    /// <summary>seq-number (RFC 9051 §9): nz-number up to 4294967295, or "*".</summary>
    private long SeqNumber()
    {
        if (TryChar('*')) return Protocol.SequenceSet.Star;
        if (Peek() == '$') throw Error("\"$\" is a sequence set on its own");
        return NzNumber();
    }

    public ImapParseException Error(string message) => new(message);

    private string Chars(Func<byte, bool> allowed, string what)
    {
        var span = data.Span;
        var start = _pos;
        while (_pos < span.Length && allowed(span[_pos])) _pos++;
        if (_pos == start) throw Error($"Expected {(what[0] is 'a' or 'e' ? "an" : "a")} {what}");
        return Encoding.ASCII.GetString(span[start.._pos]);
    }
}
