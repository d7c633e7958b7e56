using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Mail.Testing;

/// <summary>One SMTP server session of a <see cref="TestSmtpReceiver"/> (RFC 5321 with STARTTLS, AUTH PLAIN, SIZE, BDAT).</summary>
internal sealed class TestSmtpSession(TestSmtpReceiver receiver, Socket socket)
{
    private readonly TestSmtpReceiverOptions _options = receiver.Options;
    private readonly IPAddress _client = ((IPEndPoint)socket.RemoteEndPoint!).Address;
    private Stream _stream = new NetworkStream(socket, ownsSocket: false);
    private ReceiverStreamReader _reader = null!;
    private string? _ehloName;
    private bool _tls;
    private string? _user;
    private string? _mailFrom;
    private string _mailParameters = "";
    private readonly List<string> _recipients = [];
    private MemoryStream? _chunks;

    public async Task RunAsync()
    {
        var ct = receiver.Stopping;
        _reader = new ReceiverStreamReader(_stream);
        try
        {
            var greeting = receiver.GreetingReply;
            await ReplyAsync(greeting, ct);
            if (!greeting.StartsWith('2') || receiver.Mode == ReceiverMode.DropAfterGreeting) return;
            while (await _reader.ReadLineAsync(ct) is { } raw)
            {
                var line = Encoding.UTF8.GetString(raw).TrimEnd('\r', '\n');
                receiver.RecordCommand(line);
                var space = line.IndexOf(' ');
                var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
                var argument = space < 0 ? "" : line[(space + 1)..];
                if (!await HandleAsync(verb, argument, ct)) return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
                                      or InvalidDataException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away, the receiver stopped, or the TLS handshake failed: the session just ends.
        }
        finally
        {
            await _stream.DisposeAsync();
        }
    }

    /// <summary>Answers one command; false ends the session.</summary>
    private async Task<bool> HandleAsync(string verb, string argument, CancellationToken ct)
    {
        switch (verb)
        {
            case "EHLO":
                _ehloName = argument;
                Reset();
                var extensions = Extensions();
                await ReplyAsync(string.Join("\r\n", extensions.Select((e, i) => $"250{(i == extensions.Count - 1 ? ' ' : '-')}{e}")), ct);
                return true;
            case "HELO":
                _ehloName = argument;
                Reset();
                await ReplyAsync($"250 {_options.HostName}", ct);
                return true;
            case "STARTTLS":
                return await StartTlsAsync(ct);
            case "AUTH":
                await AuthenticateAsync(argument, ct);
                return true;
            case "MAIL":
                await ReplyAsync(Mail(argument), ct);
                return true;
            case "RCPT":
                await ReplyAsync(Recipient(argument), ct);
                return true;
            case "DATA":
                return await DataAsync(ct);
            case "BDAT":
                return await ChunkAsync(argument, ct);
            case "RSET":
                Reset();
                await ReplyAsync("250 2.0.0 Ok", ct);
                return true;
            case "NOOP":
                await ReplyAsync("250 2.0.0 Ok", ct);
                return true;
            case "QUIT":
                await ReplyAsync("221 2.0.0 Bye", ct);
                return false;
            default:
                await ReplyAsync("502 5.5.2 Command not recognized", ct);
                return true;
        }
    }

    private List<string> Extensions()
    {
        var lines = new List<string> { _options.HostName };
        if (_options.Size is { } size) lines.Add(size > 0 ? $"SIZE {size}" : "SIZE");
        if (_options.Pipelining) lines.Add("PIPELINING");
        if (_options.Chunking) lines.Add("CHUNKING");
        if (_options.EightBitMime) lines.Add("8BITMIME");
        if (_options.SmtpUtf8) lines.Add("SMTPUTF8");
        if (_options.Certificate is not null && !_tls) lines.Add("STARTTLS");
        if (_options.AuthUser is not null) lines.Add("AUTH PLAIN");
        lines.Add("ENHANCEDSTATUSCODES");
        return lines;
    }

    private async Task<bool> StartTlsAsync(CancellationToken ct)
    {
        if (_options.Certificate is not { } certificate || _tls)
        {
            await ReplyAsync("502 5.5.1 STARTTLS not offered", ct);
            return true;
        }
        await ReplyAsync("220 2.0.0 Ready to start TLS", ct);
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = tls;
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, ct);
        _reader = new ReceiverStreamReader(tls);
        _tls = true;
        _ehloName = null;
        Reset();
        return true;
    }

    private async Task AuthenticateAsync(string argument, CancellationToken ct)
    {
        var words = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (_options.AuthUser is null || _user is not null || words.Length == 0 || !words[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            await ReplyAsync("504 5.5.4 Unrecognized authentication type", ct);
            return;
        }
        var response = words.Length > 1 ? words[1] : null;
        if (response is null)
        {
            await ReplyAsync("334 ", ct);
            response = await _reader.ReadLineAsync(ct) is { } line ? Encoding.ASCII.GetString(line).TrimEnd('\r', '\n') : "";
        }
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(response)).Split('\0');
        }
        catch (FormatException)
        {
            await ReplyAsync("501 5.5.2 Invalid base64", ct);
            return;
        }
        if (parts.Length == 3 && parts[1] == _options.AuthUser && parts[2] == _options.AuthPassword)
        {
            _user = parts[1];
            await ReplyAsync("235 2.7.0 Authentication successful", ct);
        }
        else await ReplyAsync("535 5.7.8 Authentication credentials invalid", ct);
    }

    private string Mail(string argument)
    {
        if (_ehloName is null) return "503 5.5.1 EHLO first";
        if (_mailFrom is not null) return "503 5.5.1 Nested MAIL command";
        if (_options.AuthUser is not null && _user is null) return "530 5.7.0 Authentication required";
        if (!TryPath(argument, "FROM:", out var from, out var parameters)) return "501 5.5.4 Syntax: MAIL FROM:<address>";
        foreach (var parameter in parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = parameter.IndexOf('=') is var eq and >= 0 ? (parameter[..eq].ToUpperInvariant(), parameter[(eq + 1)..]) : (parameter.ToUpperInvariant(), "");
            switch (key)
            {
                case "SIZE" when _options.Size is { } limit:
                    if (limit > 0 && long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) > limit) return "552 5.3.4 Message size exceeds fixed maximum message size";
                    break;
                case "BODY" when _options.EightBitMime && value.ToUpperInvariant() is "8BITMIME" or "7BIT":
                case "SMTPUTF8" when _options.SmtpUtf8:
                    break;
                default:
                    return $"555 5.5.4 Unsupported parameter {key}";
            }
        }
        _mailFrom = from;
        _mailParameters = parameters;
        return "250 2.1.0 Ok";
    }

    private string Recipient(string argument)
    {
        if (_mailFrom is null) return "503 5.5.1 MAIL first";
        if (!TryPath(argument, "TO:", out var to, out _) || to.Length == 0) return "501 5.5.4 Syntax: RCPT TO:<address>";
        if (receiver.IsRejected(to) || receiver.Mode == ReceiverMode.RejectRecipients) return receiver.RejectReply;
        if (receiver.IsDeferred(to) || receiver.Mode == ReceiverMode.DeferRecipients) return receiver.DeferReply;
        _recipients.Add(to);
        return "250 2.1.5 Ok";
    }

    /// <summary>DATA (RFC 5321 §4.1.1.4): lines up to "." alone, one leading dot removed from each (§4.5.2).</summary>
    private async Task<bool> DataAsync(CancellationToken ct)
    {
        if (_mailFrom is null || _recipients.Count == 0 || _chunks is not null)
        {
            await ReplyAsync(_mailFrom is null ? "503 5.5.1 MAIL first" : _chunks is not null ? "503 5.5.1 BDAT in progress" : "554 5.5.1 No valid recipients", ct);
            return true;
        }
        await ReplyAsync("354 End data with <CR><LF>.<CR><LF>", ct);
        using var data = new MemoryStream();
        while (true)
        {
            if (await _reader.ReadLineAsync(ct) is not { } line) return false;
            if (receiver.Mode == ReceiverMode.DropMidData) return false;
            if (line.AsSpan().SequenceEqual(".\r\n"u8)) break;
            var skip = line[0] == '.' ? 1 : 0;
            data.Write(line, skip, line.Length - skip);
        }
        await ReplyAsync(Complete(data.ToArray(), chunked: false), ct);
        return true;
    }

    /// <summary>BDAT (RFC 3030 §2): exactly n bytes follow; LAST ends the message. Refused chunks are still read.</summary>
    private async Task<bool> ChunkAsync(string argument, CancellationToken ct)
    {
        var words = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!_options.Chunking || words.Length is 0 or > 2 || !long.TryParse(words[0], out var size)
            || (words.Length == 2 && !words[1].Equals("LAST", StringComparison.OrdinalIgnoreCase)))
        {
            await ReplyAsync("501 5.5.4 Syntax: BDAT size [LAST]", ct);
            return true;
        }
        var last = words.Length == 2;
        var refused = _mailFrom is null ? "503 5.5.1 MAIL first" : _recipients.Count == 0 ? "554 5.5.1 No valid recipients" : null;
        var chunks = _chunks ??= new MemoryStream();
        if (receiver.Mode == ReceiverMode.DropMidData) return false;
        if (!await _reader.ReadExactAsync(size, refused is null ? chunks : Stream.Null, ct)) return false;
        if (refused is not null)
        {
            await ReplyAsync(refused, ct);
            return true;
        }
        await ReplyAsync(last ? Complete(chunks.ToArray(), chunked: true) : $"250 2.0.0 {size} octets received", ct);
        return true;
    }

    /// <summary>The final reply to a message: refused by size or mode, or recorded and accepted. Ends the transaction.</summary>
    private string Complete(byte[] data, bool chunked)
    {
        var reply = receiver.Mode switch
        {
            _ when _options.Size is > 0 && data.Length > _options.Size => "552 5.3.4 Message size exceeds fixed maximum message size",
            ReceiverMode.DeferData => receiver.DeferReply,
            ReceiverMode.RejectData => receiver.RejectReply,
            _ => null,
        };
        if (reply is null)
        {
            receiver.Record(new ReceivedMessage(_mailFrom!, _mailParameters, [.. _recipients], data, chunked, _tls, _user, _ehloName, _client));
            reply = "250 2.0.0 Ok: queued";
        }
        Reset();
        return reply;
    }

    private void Reset()
    {
        _mailFrom = null;
        _mailParameters = "";
        _recipients.Clear();
        _chunks?.Dispose();
        _chunks = null;
    }

    /// <summary>Parses "FROM:&lt;a@b&gt; PARAMS" (RFC 5321 §4.1.2).</summary>
    private static bool TryPath(string argument, string prefix, out string address, out string parameters)
    {
        address = parameters = "";
        if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var rest = argument[prefix.Length..].TrimStart();
        var close = rest.IndexOf('>');
        if (!rest.StartsWith('<') || close < 0) return false;
        address = rest[1..close];
        parameters = rest[(close + 1)..].Trim();
        return true;
    }

    private async Task ReplyAsync(string reply, CancellationToken ct) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"), ct);
}
