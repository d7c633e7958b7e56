using System.IO.Compression;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Mail.Frontends.Tests.Imap;

/// <summary>COMPRESS=DEFLATE (RFC 4978): MailKit's compressed session end to end, and the command's rules over a raw socket.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapCompressTests(ImapHostFixture host)
{
    [Fact]
    public async Task MailKitCompressedSessionFetchesAppendsAndSearches()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        var longBody = string.Join("\r\n", Enumerable.Range(0, 2000).Select(i => $"Line {i} of a long and very repetitive body."));
        await ImapTestMail.DeliverAsync(host, address, "big one", longBody + "\r\n");
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        Assert.False(client.Capabilities.HasFlag(ImapCapabilities.Compress));
        await client.AuthenticateAsync(address, ImapTestMail.Password);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Compress));
        await client.CompressAsync();

        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var message = await inbox.GetMessageAsync(0);
        Assert.Equal("big one", message.Subject);
        Assert.Equal(longBody.Replace("\r\n", "\n"), message.TextBody!.Replace("\r\n", "\n").TrimEnd('\n'));
        var draft = new MimeMessage { Subject = "appended compressed" };
        draft.From.Add(MailboxAddress.Parse(address));
        draft.Body = new TextPart("plain") { Text = "Sent through DEFLATE." };
        var uid = await inbox.AppendAsync(draft);
        Assert.Equal(2u, uid!.Value.Id);
        Assert.Equal([uid.Value], await inbox.SearchAsync(SearchQuery.SubjectContains("compressed")));
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task CompressNeedsLoginTakesOnlyDeflateAndCannotBeRepeated()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", host.ImapTlsPort);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        var plain = new LineReader(tls);
        Assert.StartsWith("* OK ", await plain.ReadLineAsync());
        await Send(tls, "a1 COMPRESS DEFLATE\r\n");
        Assert.StartsWith("a1 BAD ", await plain.ReadLineAsync());
        await Send(tls, $"a2 LOGIN {address} {ImapTestMail.Password}\r\n");
        Assert.StartsWith("a2 OK ", await plain.ReadLineAsync());
        await Send(tls, "a3 COMPRESS LZW\r\n");
        Assert.Equal("a3 BAD Unknown compression mechanism LZW", await plain.ReadLineAsync());
        await Send(tls, "a4 COMPRESS DEFLATE\r\n");
        Assert.Equal("a4 OK DEFLATE active", await plain.ReadLineAsync());

        // From here both directions are raw DEFLATE (RFC 1951), each side flushing after what it sends.
        await using var deflate = new DeflateStream(tls, CompressionLevel.Optimal, leaveOpen: true);
        var inflated = new LineReader(new DeflateStream(tls, CompressionMode.Decompress, leaveOpen: true));
        await Send(deflate, "a5 NOOP\r\n");
        Assert.Equal("a5 OK NOOP completed", await inflated.ReadLineAsync());
        await Send(deflate, "a6 COMPRESS DEFLATE\r\n");
        Assert.Equal("a6 NO [COMPRESSIONACTIVE] Compression is already active", await inflated.ReadLineAsync());
        await Send(deflate, "a7 STATUS INBOX (MESSAGES)\r\n");
        Assert.Equal("* STATUS INBOX (MESSAGES 0)", await inflated.ReadLineAsync());
        Assert.StartsWith("a7 OK ", await inflated.ReadLineAsync());
    }

    private static async Task Send(Stream stream, string text)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await stream.FlushAsync();
    }

    /// <summary>Lines from a stream, one byte at a time, so nothing after the line is taken from it.</summary>
    private sealed class LineReader(Stream stream)
    {
        public async Task<string> ReadLineAsync()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var line = new List<byte>();
            var one = new byte[1];
            while (!(line.Count >= 2 && line[^2] == '\r' && line[^1] == '\n'))
            {
                if (await stream.ReadAsync(one, deadline.Token) == 0) throw new EndOfStreamException();
                line.Add(one[0]);
            }
            return Encoding.UTF8.GetString(line.ToArray(), 0, line.Count - 2);
        }
    }
}
