using System.Buffers;
using System.Globalization;
using System.Text;

namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// Encodes response data (RFC 9051 §4, §7): atoms, numbers, NIL, quoted strings, literals and lists, into
/// any buffer writer. <see cref="String"/> picks the quoted form when the text allows it and a literal otherwise;
/// UTF-8 in quoted strings only when <paramref name="utf8Quoted"/> (IMAP4rev2, RFC 9051 §4.3).
/// </summary>
public sealed class ImapWriter(IBufferWriter<byte> output, bool utf8Quoted)
{
    /// <summary>Longest text written as a quoted string; longer text goes as a literal.</summary>
    public const int MaxQuotedLength = 1024;

    private bool _needSpace;

    /// <summary>Bytes written so far (for flushing large responses in slices).</summary>
    public long Written { get; private set; }

    /// <summary>Writes ASCII text as is (keywords, response codes).</summary>
    public ImapWriter Raw(string ascii)
    {
        var span = output.GetSpan(ascii.Length);
        var n = Encoding.ASCII.GetBytes(ascii, span);
        output.Advance(n);
        Written += n;
        _needSpace = false;
        return this;
    }

    /// <summary>Writes bytes as is.</summary>
    public ImapWriter Raw(ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        Written += bytes.Length;
        _needSpace = false;
        return this;
    }

    /// <summary>Writes a space.</summary>
    public ImapWriter Space() => Raw(" ");

    /// <summary>Ends a response line.</summary>
    public ImapWriter Crlf() => Raw("\r\n");

    /// <summary>Opens a parenthesized list; items written inside are separated by single spaces.</summary>
    public ImapWriter Open()
    {
        Separate();
        Raw("(");
        return this;
    }

    /// <summary>Closes a list.</summary>
    public ImapWriter Close()
    {
        Raw(")");
        _needSpace = true;
        return this;
    }

    /// <summary>Writes an atom (a keyword, a flag) as a list item.</summary>
    public ImapWriter Atom(string atom)
    {
        Separate();
        Raw(atom);
        _needSpace = true;
        return this;
    }

    /// <summary>Writes a number as a list item.</summary>
    public ImapWriter Number(long value) => Atom(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes NIL.</summary>
    public ImapWriter Nil() => Atom("NIL");

    /// <summary>Writes a string, quoted when it can be and as a literal otherwise.</summary>
    public ImapWriter String(string value)
    {
        if (CanQuote(value, utf8Quoted)) return Quoted(value);
        return Literal(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Writes a string, or NIL for null.</summary>
    public ImapWriter NString(string? value) => value is null ? Nil() : String(value);

    /// <summary>Writes an atom when the text is one, else a string (astring, RFC 9051 §9).</summary>
    public ImapWriter AString(string value) => ImapSyntax.IsAtom(value) && !value.Equals("NIL", StringComparison.OrdinalIgnoreCase) ? Atom(value) : String(value);

    /// <summary>Writes a quoted string; the caller has checked <see cref="CanQuote"/>.</summary>
    public ImapWriter Quoted(string value)
    {
        Separate();
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') builder.Append('\\');
            builder.Append(c);
        }
        builder.Append('"');
        var bytes = Encoding.UTF8.GetBytes(builder.ToString());
        Raw(bytes);
        _needSpace = true;
        return this;
    }

    /// <summary>Writes a literal: "{n}" CRLF and the octets (RFC 9051 §4.3); no octets at all are the empty quoted string, which every client reads.</summary>
    public ImapWriter Literal(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return Quoted("");
        Separate();
        Raw("{" + bytes.Length.ToString(CultureInfo.InvariantCulture) + "}\r\n");
        Raw(bytes);
        _needSpace = true;
        return this;
    }

    /// <summary>Writes a literal8 for BINARY content that contains NUL: "~{n}" CRLF and the octets (RFC 3516 §4.3).</summary>
    public ImapWriter Literal8(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.Contains((byte)0)) return Literal(bytes);
        Separate();
        Raw("~{" + bytes.Length.ToString(CultureInfo.InvariantCulture) + "}\r\n");
        Raw(bytes);
        _needSpace = true;
        return this;
    }

    /// <summary>Writes an nstring from octets: NIL for null, a quoted string when safe, else a literal.</summary>
    public ImapWriter NString(ReadOnlySpan<byte> bytes, bool isNull)
    {
        if (isNull) return Nil();
        if (bytes.Length <= MaxQuotedLength && IsQuotableAscii(bytes)) return Quoted(Encoding.ASCII.GetString(bytes));
        return Literal(bytes);
    }

    /// <summary>Starts the next item without a separating space (after "BODY[...]" or a data item name).</summary>
    public ImapWriter Glue()
    {
        _needSpace = false;
        return this;
    }

    /// <summary>Marks that the next item needs a separating space.</summary>
    public ImapWriter Item()
    {
        _needSpace = true;
        return this;
    }

    /// <summary>Whether text may be sent as a quoted string (RFC 9051 §4.3: no CR, LF or NUL; 8-bit only in IMAP4rev2).</summary>
    public static bool CanQuote(string value, bool utf8)
    {
        if (value.Length > MaxQuotedLength) return false;
        foreach (var c in value)
        {
            if (c is '\r' or '\n' or '\0') return false;
            if (c > 0x7F && !utf8) return false;
        }
        return true;
    }

    private static bool IsQuotableAscii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is 0 or (byte)'\r' or (byte)'\n' || b > 0x7F) return false;
        }
        return true;
    }

    private void Separate()
    {
        if (_needSpace) Raw(" ");
        _needSpace = false;
    }
}
