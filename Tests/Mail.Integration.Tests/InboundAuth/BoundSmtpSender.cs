using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mail.Integration.Tests.InboundAuth;

/// <summary>
/// Sends exact bytes to the MX from a chosen loopback source address (so SPF's ip4 checks see it), one transaction per
/// connection, and returns the reply to the end of DATA; a refusal earlier is returned as that reply.
/// </summary>
public static class BoundSmtpSender
{
    /// <summary>The final reply line(s) for <paramref name="message"/> (CRLF line ends, not dot-stuffed).</summary>
    public static async Task<string> SendAsync(int port, string source, string helo, string from, string to, byte[] message)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task<string> ReplyAsync()
        {
            var text = new StringBuilder();
            while (await reader.ReadLineAsync() is { } line)
            {
                text.Append(line).Append('\n');
                if (line.Length < 4 || line[3] != '-') break;
            }
            return text.ToString();
        }
        async Task<string> CommandAsync(string line)
        {
            var bytes = Encoding.ASCII.GetBytes(line + "\r\n");
            await stream.WriteAsync(bytes);
            return await ReplyAsync();
        }
        await ReplyAsync();
        await CommandAsync($"EHLO {helo}");
        var reply = await CommandAsync($"MAIL FROM:<{from}>");
        if (!reply.StartsWith("250", StringComparison.Ordinal)) return reply;
        reply = await CommandAsync($"RCPT TO:<{to}>");
        if (!reply.StartsWith("250", StringComparison.Ordinal)) return reply;
        reply = await CommandAsync("DATA");
        if (!reply.StartsWith("354", StringComparison.Ordinal)) return reply;
        await stream.WriteAsync(DotStuff(message));
        await stream.WriteAsync(".\r\n"u8.ToArray());
        reply = await ReplyAsync();
        await CommandAsync("QUIT");
        return reply;
    }

    private static byte[] DotStuff(byte[] message)
    {
        var text = Encoding.Latin1.GetString(message);
        if (!text.EndsWith("\r\n", StringComparison.Ordinal)) text += "\r\n";
        return Encoding.Latin1.GetBytes((text.StartsWith('.') ? "." : "") + text.Replace("\r\n.", "\r\n..", StringComparison.Ordinal));
    }
}
