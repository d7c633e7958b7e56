using System.Text;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Pop3;

/// <summary>
/// A raw POP3 client on a real socket for byte-exact transcripts. The socket, TLS and C:/S: script runner are
/// <see cref="SmtpTranscript"/>'s, which is protocol-neutral below its SMTP reply helpers; this adds the POP3
/// greeting, login and reading of multi-line responses.
/// </summary>
public sealed class Pop3Transcript : IAsyncDisposable
{
    /// <summary>The greeting every POP3 session starts with.</summary>
    public const string Greeting = "+OK Mail POP3 server ready";

    private readonly SmtpTranscript _raw;

    private Pop3Transcript(SmtpTranscript raw) => _raw = raw;

    /// <summary>How long each read waits for the server.</summary>
    public TimeSpan Timeout
    {
        get => _raw.Timeout;
        set => _raw.Timeout = value;
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> (TLS first with <paramref name="implicitTls"/>); reads nothing.</summary>
    public static async Task<Pop3Transcript> ConnectAsync(int port, bool implicitTls = false) =>
        new(await SmtpTranscript.ConnectAsync(port, implicitTls));

    /// <summary>Connects and checks the greeting.</summary>
    public static async Task<Pop3Transcript> OpenAsync(int port, bool implicitTls = false)
    {
        var pop3 = await ConnectAsync(port, implicitTls);
        await pop3.ExpectAsync(Greeting);
        return pop3;
    }

    /// <summary>Connects over implicit TLS and logs in with USER/PASS; returns the session in TRANSACTION state.</summary>
    public static async Task<Pop3Transcript> LoginAsync(int tlsPort, string user, string password = "test-password")
    {
        var pop3 = await OpenAsync(tlsPort, implicitTls: true);
        await pop3.RunAsync($"""
            C: USER {user}
            S: +OK send PASS
            C: PASS {password}
            S: +OK maildrop has *
            """);
        return pop3;
    }

    /// <summary>Runs a C:/S: script (see <see cref="SmtpTranscript.RunAsync"/>).</summary>
    public Task RunAsync(string script) => _raw.RunAsync(script);

    /// <summary>Sends text exactly as given.</summary>
    public Task SendAsync(string text) => _raw.SendAsync(text);

    /// <summary>Sends bytes in one write.</summary>
    public Task SendAsync(byte[] bytes) => _raw.SendAsync(bytes);

    /// <summary>Checks that the next lines are exactly these (each followed by CRLF).</summary>
    public Task ExpectAsync(params string[] lines) => _raw.ExpectAsync(lines);

    /// <summary>Reads the next line, checks its start, returns it without CRLF.</summary>
    public Task<string> ExpectLineStartsWithAsync(string prefix) => _raw.ExpectLineStartsWithAsync(prefix);

    /// <summary>Checks that the server closes the connection without sending anything more.</summary>
    public Task ExpectClosedAsync() => _raw.ExpectClosedAsync();

    /// <summary>Starts TLS after "+OK" to STLS; nothing may have arrived after that "+OK".</summary>
    public Task StartTlsAsync() => _raw.StartTlsAsync();

    /// <summary>
    /// Reads the body of a multi-line response up to its "." line, as a client does (RFC 1939 §3): every line
    /// must end with CRLF and a leading dot is removed. Returns the bytes.
    /// </summary>
    public async Task<byte[]> ReadBodyAsync()
    {
        var body = new List<byte>();
        while (true)
        {
            var line = await _raw.ExpectLineStartsWithAsync("");
            if (line == ".") return [.. body];
            body.AddRange(Encoding.Latin1.GetBytes((line.StartsWith('.') ? line[1..] : line) + "\r\n"));
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _raw.DisposeAsync();
}
