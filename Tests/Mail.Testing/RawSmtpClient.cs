using System.Net.Sockets;
using System.Text;

namespace Mail.Testing;

/// <summary>
/// A lean SMTP client for load and durability tests: one connection per message, EHLO, then MAIL/RCPT/DATA pipelined
/// (RFC 2920), the body, QUIT. Lean so that the load generator leaves the CPU to the server.
/// </summary>
public sealed class RawSmtpClient(string host, int port)
{
    /// <summary>Sends one message; returns null on 250 after the data, else the reply that refused it.</summary>
    public async Task<string?> SendAsync(string from, string to, byte[] body, CancellationToken ct)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(host, port, ct);
        await using var stream = tcp.GetStream();
        var reader = new ReplyReader(stream);
        if (await reader.ReadAsync(ct) is not { } greeting || !greeting.StartsWith("220", StringComparison.Ordinal)) return "greeting failed";
        await WriteAsync(stream, "EHLO load.bench.test\r\n", ct);
        var ehlo = await reader.ReadAsync(ct);
        if (ehlo is null || !ehlo.StartsWith("250", StringComparison.Ordinal)) return $"EHLO: {ehlo}";
        await WriteAsync(stream, $"MAIL FROM:<{from}> SIZE={body.Length}\r\nRCPT TO:<{to}>\r\nDATA\r\n", ct);
        foreach (var expected in new[] { "250", "250", "354" })
        {
            var reply = await reader.ReadAsync(ct);
            if (reply is null || !reply.StartsWith(expected, StringComparison.Ordinal)) return $"envelope: {reply}";
        }
        // Body, end of data and QUIT in one write (RFC 2920 allows QUIT to follow the data unprompted).
        var tail = ".\r\nQUIT\r\n"u8;
        var packet = System.Buffers.ArrayPool<byte>.Shared.Rent(body.Length + tail.Length);
        body.CopyTo(packet, 0);
        tail.CopyTo(packet.AsSpan(body.Length));
        await stream.WriteAsync(packet.AsMemory(0, body.Length + tail.Length), ct);
        System.Buffers.ArrayPool<byte>.Shared.Return(packet);
        var accepted = await reader.ReadAsync(ct);
        return accepted is not null && accepted.StartsWith("250", StringComparison.Ordinal) ? null : $"data: {accepted}";
    }

    private static ValueTask WriteAsync(NetworkStream stream, string text, CancellationToken ct) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), ct);

    /// <summary>Reads whole replies (the last line of a multi-line reply) from the stream.</summary>
    private sealed class ReplyReader(NetworkStream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private readonly StringBuilder _pending = new();

        public async Task<string?> ReadAsync(CancellationToken ct)
        {
            while (true)
            {
                var text = _pending.ToString();
                var start = 0;
                for (var end = text.IndexOf("\r\n", StringComparison.Ordinal); end >= 0; end = text.IndexOf("\r\n", start, StringComparison.Ordinal))
                {
                    var line = text[start..end];
                    start = end + 2;
                    if (line.Length >= 4 && line[3] == '-') continue;
                    _pending.Remove(0, start);
                    return line;
                }
                var read = await stream.ReadAsync(_buffer, ct);
                if (read == 0) return null;
                _pending.Append(Encoding.ASCII.GetString(_buffer, 0, read));
            }
        }
    }
}
