using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>
/// A raw SMTP client on a real socket for byte-exact transcripts: <c>C:</c> lines are sent as written
/// (consecutive ones in one write, i.e. pipelined), <c>S:</c> lines must come back byte for byte.
/// Every read has a deadline, so a server that hangs fails the test instead of stalling the run.
/// </summary>
public sealed class SmtpTranscript : IAsyncDisposable
{
    /// <summary>How long a read waits by default before the test fails.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _tcp;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private Stream _stream;
    private int _start;
    private int _end;

    private SmtpTranscript(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>How long each read waits for the server.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Whether the connection is under TLS.</summary>
    public bool IsTls => _stream is SslStream;

    /// <summary>
    /// Connects to 127.0.0.1:<paramref name="port"/>, from <paramref name="from"/> when given (any of 127.0.0.0/8, to be
    /// another client address); with <paramref name="implicitTls"/> the TLS handshake comes first. Reads nothing.
    /// </summary>
    public static async Task<SmtpTranscript> ConnectAsync(int port, bool implicitTls = false, IPAddress? from = null)
    {
        var tcp = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));
        tcp.NoDelay = true;
        using (var connect = new CancellationTokenSource(DefaultTimeout))
        {
            await tcp.ConnectAsync("127.0.0.1", port, connect.Token);
        }
        var transcript = new SmtpTranscript(tcp);
        if (implicitTls) await transcript.HandshakeAsync();
        return transcript;
    }

    /// <summary>Connects and checks the greeting.</summary>
    public static async Task<SmtpTranscript> OpenAsync(int port, bool implicitTls = false)
    {
        var transcript = await ConnectAsync(port, implicitTls);
        await transcript.ExpectAsync("220 localhost ESMTP Mail");
        return transcript;
    }

    /// <summary>Connects, checks the greeting, sends EHLO and reads its reply whole.</summary>
    public static async Task<SmtpTranscript> OpenWithEhloAsync(int port, bool implicitTls = false)
    {
        var transcript = await OpenAsync(port, implicitTls);
        await transcript.SendAsync("EHLO client.example\r\n");
        var reply = await transcript.ReadReplyAsync();
        Assert.StartsWith("250-localhost\r\n", reply);
        return transcript;
    }

    /// <summary>
    /// Runs a script: "C: text" lines are sent with CRLF (consecutive ones in a single write),
    /// "S: text" lines must be the next line from the server exactly; "S: text*" matches a prefix;
    /// "S: &lt;closed&gt;" means the server closes the connection now.
    /// </summary>
    public async Task RunAsync(string script)
    {
        var pending = new StringBuilder();
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.TrimEnd('\r').TrimStart();
            if (line.Length == 0) continue;
            if (line.StartsWith("C: ", StringComparison.Ordinal) || line == "C:")
            {
                pending.Append(line.Length > 2 ? line[3..] : "").Append("\r\n");
                continue;
            }
            if (!line.StartsWith("S: ", StringComparison.Ordinal)) throw new ArgumentException($"Script line must start with C: or S:: {line}");
            if (pending.Length > 0)
            {
                await SendAsync(pending.ToString());
                pending.Clear();
            }
            var expected = line[3..];
            if (expected == "<closed>") await ExpectClosedAsync();
            else if (expected.EndsWith('*')) await ExpectLineStartsWithAsync(expected[..^1]);
            else await ExpectAsync(expected);
        }
        if (pending.Length > 0) await SendAsync(pending.ToString());
    }

    /// <summary>Sends text as UTF-8, exactly as given (no CRLF added).</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends bytes in one write.</summary>
    public async Task SendAsync(byte[] bytes)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, deadline.Token);
        await _stream.FlushAsync(deadline.Token);
    }

    /// <summary>Sends a command line with CRLF.</summary>
    public Task CommandAsync(string line) => SendAsync(line + "\r\n");

    /// <summary>Reads the next lines and checks each is exactly the given text followed by CRLF.</summary>
    public async Task ExpectAsync(params string[] lines)
    {
        foreach (var expected in lines)
        {
            var actual = await ReadLineAsync() ?? throw new Xunit.Sdk.XunitException($"Expected \"{expected}\" but the server closed the connection.");
            Assert.Equal(expected + "\r\n", actual);
        }
    }

    /// <summary>Reads the next line and checks it starts with <paramref name="prefix"/>; returns it without CRLF.</summary>
    public async Task<string> ExpectLineStartsWithAsync(string prefix)
    {
        var actual = await ReadLineAsync() ?? throw new Xunit.Sdk.XunitException($"Expected \"{prefix}...\" but the server closed the connection.");
        Assert.StartsWith(prefix, actual);
        Assert.EndsWith("\r\n", actual);
        return actual[..^2];
    }

    /// <summary>Reads one whole reply (every "xyz-" line and the final "xyz " line), CRLFs included.</summary>
    public async Task<string> ReadReplyAsync() =>
        await ReadReplyOrCloseAsync() ?? throw new Xunit.Sdk.XunitException("Expected a reply but the server closed the connection.");

    /// <summary>Reads one whole reply, or null if the server closes the connection first. Every line must be "xyz-" or "xyz ".</summary>
    public async Task<string?> ReadReplyOrCloseAsync()
    {
        var reply = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync();
            if (line is null)
            {
                if (reply.Length > 0) throw new Xunit.Sdk.XunitException($"The server closed the connection inside a multi-line reply: {reply}");
                return null;
            }
            Assert.Matches(@"^[2-5][0-9][0-9][ -]", line);
            Assert.EndsWith("\r\n", line);
            if (reply.Length > 0) Assert.Equal(reply.ToString(0, 3), line[..3]);
            reply.Append(line);
            if (line[3] == ' ') return reply.ToString();
        }
    }

    /// <summary>Checks that the server closes the connection without sending anything more.</summary>
    public async Task ExpectClosedAsync()
    {
        var line = await ReadLineAsync();
        Assert.True(line is null, $"Expected the server to close the connection, but it sent: {line}");
    }

    /// <summary>
    /// Starts TLS after a 220 to STARTTLS. Nothing may have arrived after that 220: a server that
    /// answered a pipelined plaintext command would show it here.
    /// </summary>
    public async Task StartTlsAsync()
    {
        Assert.True(_start == _end, $"Plaintext arrived after the 220 to STARTTLS: {Encoding.Latin1.GetString(_buffer, _start, _end - _start)}");
        await HandshakeAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync();
        }
        catch (IOException)
        {
            // The server may already have reset the connection.
        }
        _tcp.Dispose();
    }

    private async Task HandshakeAsync()
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        using var deadline = new CancellationTokenSource(Timeout);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        }, deadline.Token);
        _stream = tls;
    }

    /// <summary>The next <paramref name="count"/> octets exactly as sent (the content of a literal, which may hold any octet).</summary>
    public async Task<byte[]> ReadBytesAsync(int count)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var octets = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_end > _start)
            {
                var take = Math.Min(count - filled, _end - _start);
                Buffer.BlockCopy(_buffer, _start, octets, filled, take);
                _start += take;
                filled += take;
                continue;
            }
            _start = _end = 0;
            var read = await _stream.ReadAsync(_buffer, deadline.Token);
            if (read == 0) throw new Xunit.Sdk.XunitException($"The connection closed after {filled} of {count} octets.");
            _end = read;
        }
        return octets;
    }

    /// <summary>The next line with its LF (Latin-1, so every byte maps to one char), or null at end of stream.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, lf + 1 - _start);
                _start = lf + 1;
                return line;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length) throw new Xunit.Sdk.XunitException("The server sent a line longer than the read buffer.");
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end), deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"The server sent no complete line within {Timeout.TotalSeconds:0.#} s.");
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted })
            {
                read = 0;
            }
            if (read == 0)
            {
                if (_end > _start) throw new Xunit.Sdk.XunitException($"The connection closed after a partial line: {Encoding.Latin1.GetString(_buffer, _start, _end - _start)}");
                return null;
            }
            _end += read;
        }
    }
}
