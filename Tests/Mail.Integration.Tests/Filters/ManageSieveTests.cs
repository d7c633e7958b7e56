using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Mail.Integration.Tests.Filters;

/// <summary>ManageSieve (RFC 5804) over a raw socket: greeting, STARTTLS, AUTHENTICATE PLAIN, every script command and its response codes.</summary>
public sealed class ManageSieveTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task SessionManagesScriptsWithLiteralsAndRfcResponseCodes()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        await using var session = await ManageSieveWire.ConnectAsync(host.ManageSievePort);
        var greeting = await session.ReadResponseAsync();
        Assert.Contains("\"SIEVE\" \"fileinto reject envelope body imap4flags vacation copy mailbox", greeting);
        Assert.Contains("\"STARTTLS\"", greeting);
        Assert.Contains("\"SASL\" \"\"", greeting);
        Assert.EndsWith("OK \"ManageSieve ready\"\r\n", greeting);

        Assert.StartsWith("NO (ENCRYPT-NEEDED)", await session.CommandAsync("AUTHENTICATE \"PLAIN\" \"" + Plain(address) + "\""));
        Assert.StartsWith("NO \"authenticate first\"", await session.CommandAsync("LISTSCRIPTS"));

        Assert.StartsWith("OK", await session.CommandAsync("STARTTLS"));
        await session.StartTlsAsync();
        var again = await session.ReadResponseAsync();
        Assert.Contains("\"SASL\" \"PLAIN\"", again);
        Assert.DoesNotContain("STARTTLS", again);

        Assert.StartsWith("NO", await session.CommandAsync("AUTHENTICATE \"PLAIN\" \"" + Plain(address, "wrong") + "\""));
        await session.SendAsync("AUTHENTICATE \"PLAIN\"");
        Assert.Equal("\"\"\r\n", await session.ReadLineAsync());
        Assert.StartsWith("OK", await session.CommandAsync("\"" + Plain(address) + "\""));

        const string script = "require \"fileinto\";\r\nif header :contains \"subject\" \"sieve\" {\r\n  fileinto \"INBOX\";\r\n}\r\n";
        Assert.StartsWith("OK", await session.CommandAsync($"HAVESPACE \"main\" {script.Length}"));
        Assert.StartsWith("NO (QUOTA/MAXSIZE)", await session.CommandAsync("HAVESPACE \"main\" 999999999"));
        Assert.StartsWith("OK", await session.CommandAsync($"PUTSCRIPT \"main\" {{{Encoding.UTF8.GetByteCount(script)}+}}\r\n{script}"));
        const string bad = "require \"fileinto\";\r\nfileinto \"x\"\r\n";
        var refused = await session.CommandAsync($"PUTSCRIPT \"bad\" {{{bad.Length}+}}\r\n{bad}");
        Assert.StartsWith("NO \"line 3, column 1: expected ';'", refused);
        Assert.StartsWith("NO \"line 1, column 9: unsupported extension", await session.CommandAsync("CHECKSCRIPT \"require \\\"nosuch\\\";\""));
        Assert.StartsWith("OK", await session.CommandAsync("CHECKSCRIPT {5+}\r\nstop;"));

        Assert.Equal("\"main\"\r\nOK \"Listscripts completed\"\r\n", await session.CommandAsync("LISTSCRIPTS"));
        Assert.StartsWith("NO (NONEXISTENT)", await session.CommandAsync("SETACTIVE \"bad\""));
        Assert.StartsWith("OK", await session.CommandAsync("SETACTIVE \"main\""));
        Assert.Equal("\"main\" ACTIVE\r\nOK \"Listscripts completed\"\r\n", await session.CommandAsync("LISTSCRIPTS"));
        Assert.Equal($"{{{script.Length}}}\r\n{script}\r\nOK \"Getscript completed\"\r\n", await session.CommandAsync("GETSCRIPT \"main\""));
        Assert.StartsWith("NO (NONEXISTENT)", await session.CommandAsync("GETSCRIPT \"none\""));

        Assert.StartsWith("NO (ACTIVE)", await session.CommandAsync("DELETESCRIPT \"main\""));
        Assert.StartsWith("OK", await session.CommandAsync("PUTSCRIPT \"spare\" \"keep;\""));
        Assert.StartsWith("NO (ALREADYEXISTS)", await session.CommandAsync("RENAMESCRIPT \"spare\" \"main\""));
        Assert.StartsWith("OK", await session.CommandAsync("RENAMESCRIPT \"main\" \"primary\""));
        Assert.Equal("\"primary\" ACTIVE\r\n\"spare\"\r\nOK \"Listscripts completed\"\r\n", await session.CommandAsync("LISTSCRIPTS"));
        Assert.StartsWith("OK", await session.CommandAsync("SETACTIVE \"\""));
        Assert.StartsWith("OK", await session.CommandAsync("DELETESCRIPT \"primary\""));
        Assert.StartsWith("NO (NONEXISTENT)", await session.CommandAsync("DELETESCRIPT \"primary\""));
        Assert.Equal("OK (TAG \"abc\") \"Done\"\r\n", await session.CommandAsync("NOOP \"abc\""));
        Assert.StartsWith("NO \"unknown command", await session.CommandAsync("FROB"));
        Assert.StartsWith("OK", await session.CommandAsync("LOGOUT"));

        // The API sees what ManageSieve stored.
        var listed = await user.GetStringAsync("/v1/sieve/scripts");
        Assert.Contains("\"spare\"", listed);
    }

    private static string Plain(string user, string password = "test-password") =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
}

/// <summary>A raw ManageSieve client: lines out, responses in up to the closing OK, NO or BYE, STARTTLS on the same socket.</summary>
public sealed class ManageSieveWire : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly StringBuilder _pending = new();

    private ManageSieveWire(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Connects to the loopback port.</summary>
    public static async Task<ManageSieveWire> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new ManageSieveWire(tcp);
    }

    /// <summary>Sends a line (CRLF added).</summary>
    public async Task SendAsync(string line)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"));
        await _stream.FlushAsync();
    }

    /// <summary>Sends a command and returns everything up to and including its OK/NO/BYE line.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line);
        return await ReadResponseAsync();
    }

    /// <summary>Reads lines until one starts with OK, NO or BYE (literals are taken whole).</summary>
    public async Task<string> ReadResponseAsync()
    {
        var response = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync();
            response.Append(line);
            if (line.EndsWith("}\r\n", StringComparison.Ordinal) && line.LastIndexOf('{') is var open and >= 0
                && int.TryParse(line[(open + 1)..^3].TrimEnd('+'), out var length))
            {
                response.Append(await ReadOctetsAsync(length));
                continue;
            }
            if (line.StartsWith("OK", StringComparison.Ordinal) || line.StartsWith("NO", StringComparison.Ordinal) || line.StartsWith("BYE", StringComparison.Ordinal))
            {
                return response.ToString();
            }
        }
    }

    /// <summary>Reads one line with its CRLF.</summary>
    public async Task<string> ReadLineAsync()
    {
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 2);
                return text[..(end + 2)];
            }
            await FillAsync();
        }
    }

    /// <summary>Switches to TLS (any certificate: the dev one is self-signed).</summary>
    public async Task StartTlsAsync()
    {
        var tls = new SslStream(_tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        _stream = tls;
    }

    private async Task<string> ReadOctetsAsync(int length)
    {
        while (Encoding.UTF8.GetByteCount(_pending.ToString()) < length) await FillAsync();
        var text = _pending.ToString()[..length];
        _pending.Remove(0, length);
        return text;
    }

    private async Task FillAsync()
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = await _stream.ReadAsync(buffer, timeout.Token);
        if (read == 0) throw new IOException("The server closed the connection.");
        _pending.Append(Encoding.UTF8.GetString(buffer, 0, read));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
