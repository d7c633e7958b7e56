using System.Buffers;
using System.Text;

namespace Mail.Frontends.Pop3.Protocol;

/// <summary>
/// A response (RFC 1939 §3): a status line "+OK text" or "-ERR [CODE] text" (response codes per RFC 2449 §8)
/// and, for multi-line responses, lines that are dot-stuffed and ended by "." CRLF.
/// </summary>
public sealed record Pop3Response(bool Ok, string? Code, string Text, IReadOnlyList<string>? Lines = null)
{
    /// <summary>A positive single-line response.</summary>
    public static Pop3Response Success(string text) => new(true, null, text);

    /// <summary>A positive multi-line response.</summary>
    public static Pop3Response Multiline(string text, IReadOnlyList<string> lines) => new(true, null, text, lines);

    /// <summary>A negative response, with an extended response code or none.</summary>
    public static Pop3Response Error(string text, string? code = null) => new(false, code, text);

    /// <summary>The wire form.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        var status = Ok ? "+OK" : "-ERR";
        var code = Code is null ? "" : $" [{Code}]";
        var text = Text.Length == 0 ? "" : " " + Text;
        Write(output, $"{status}{code}{text}\r\n");
        if (Lines is null) return;
        foreach (var line in Lines) WriteLine(output, line);
        WriteEnd(output);
    }

    /// <summary>Writes one line of a multi-line response, dot-stuffed (for responses written as they are read).</summary>
    public static void WriteLine(IBufferWriter<byte> output, string line) => Write(output, (line.StartsWith('.') ? "." : "") + line + "\r\n");

    /// <summary>Writes the "." line that ends a multi-line response.</summary>
    public static void WriteEnd(IBufferWriter<byte> output) => Write(output, ".\r\n");

    /// <summary>The wire form as a string (for logs and tests).</summary>
    public override string ToString()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
