using System.Buffers;
using System.Text;

namespace Mail.Frontends.Smtp.Protocol;

/// <summary>An SMTP reply (RFC 5321 §4.2) with its enhanced status code (RFC 3463) and one or more text lines.</summary>
public sealed record SmtpReply(int Code, string? Enhanced, IReadOnlyList<string> Lines)
{
    /// <summary>A one-line reply.</summary>
    public SmtpReply(int code, string? enhanced, string text) : this(code, enhanced, [text])
    {
    }

    /// <summary>Whether the reply is a 4xx or 5xx.</summary>
    public bool IsError => Code >= 400;

    /// <summary>The wire form: "250-..." for every line but the last, "250 ..." for the last (RFC 5321 §4.2.1).</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        for (var i = 0; i < Lines.Count; i++)
        {
            var separator = i == Lines.Count - 1 ? ' ' : '-';
            var text = Enhanced is null ? Lines[i] : $"{Enhanced} {Lines[i]}";
            var line = $"{Code}{separator}{text}\r\n";
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(line.Length));
            output.Advance(Encoding.UTF8.GetBytes(line, span));
        }
    }

    /// <summary>The wire form as a string (for logs and tests).</summary>
    public override string ToString()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
