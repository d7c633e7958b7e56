using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Outbound.Smtp;

/// <summary>
/// One SMTP client session with one remote host (RFC 5321): connect from the chosen source address, EHLO,
/// STARTTLS whenever offered (RFC 3207), AUTH to a relay (RFC 4954), then any number of transactions through
/// <see cref="SendAsync"/>. Not thread-safe: one transaction at a time.
/// <para>
/// Our own client rather than MailKit's SmtpClient: MailKit sends a <c>MimeMessage</c>, so every send would parse
/// the stored bytes into an object tree and serialize it again, and MimeKit normalizes what it writes (bare LFs
/// become CRLF, a missing final CRLF is added), while the DKIM signature we prepend covers the stored bytes as
/// they are; MailKit also reports a refused DATA or a 421 as exceptions, not per recipient. Here the stored
/// bytes are streamed through one pooled buffer per connection: prefix and content are written as they are,
/// dot-stuffed for DATA or in BDAT chunks (RFC 3030), and a pipelined envelope (RFC 2920) costs one round trip.
/// </para>
/// </summary>
public sealed partial class OutboundConnection : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>Content up to this size is read into memory once per transaction instead of being opened twice.</summary>
    private const long MaxBufferedContent = 1024 * 1024;

    private readonly OutboundEndpoint _endpoint;
    private readonly Socket _socket;
    private readonly TimeSpan _commandTimeout;
    private readonly SmtpOutput _output = new();
    private readonly byte[] _chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private Stream _stream;
    private SmtpReplyReader _reader;
    private SmtpCapabilities _capabilities = SmtpCapabilities.None;
    private bool _broken;
    private bool _disposed;
    private bool _needsReset;
    private bool _handshakeFailed;

    private OutboundConnection(OutboundEndpoint endpoint, Socket socket, TimeSpan commandTimeout)
    {
        _endpoint = endpoint;
        _socket = socket;
        _commandTimeout = commandTimeout;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new SmtpReplyReader(_stream);
    }

    /// <summary>The remote host's name (as in <see cref="OutboundEndpoint.HostName"/>).</summary>
    public string HostName => _endpoint.HostName;

    /// <summary>Still connected with the protocol in step: another transaction may be sent.</summary>
    public bool IsUsable => !_broken && !_disposed;

    /// <summary>"Tls13 TLS_AES_256_GCM_SHA384" once STARTTLS succeeded; null in plaintext.</summary>
    public string? TlsDescription { get; private set; }

    /// <summary>The local end the connection was made from.</summary>
    public IPEndPoint? LocalEndPoint => _socket.LocalEndPoint as IPEndPoint;

    /// <summary>
    /// Connects and brings the session up to the point where mail can be sent. An opportunistic session whose TLS
    /// handshake fails (not a refused certificate) is retried once without STARTTLS, as RFC 7435 §6 suggests.
    /// </summary>
    public static Task<OutboundConnection> OpenAsync(OutboundEndpoint endpoint, OutboundOptions options, CancellationToken ct) =>
        OpenAsync(endpoint, options, useStartTls: true, ct);

    private static async Task<OutboundConnection> OpenAsync(OutboundEndpoint endpoint, OutboundOptions options, bool useStartTls, CancellationToken ct)
    {
        var socket = await ConnectAsync(endpoint, options, ct);
        var connection = new OutboundConnection(endpoint, socket, TimeSpan.FromSeconds(options.CommandTimeoutSeconds));
        try
        {
            await connection.StartSessionAsync(options, useStartTls, ct);
            return connection;
        }
        catch (OutboundConnectionException) when (connection._handshakeFailed && endpoint.Tls.Mode == TlsMode.Opportunistic)
        {
            await connection.CloseAsync();
            return await OpenAsync(endpoint, options, useStartTls: false, ct);
        }
        catch
        {
            await connection.CloseAsync();
            throw;
        }
    }

    private static async Task<Socket> ConnectAsync(OutboundEndpoint endpoint, OutboundOptions options, CancellationToken ct)
    {
        var socket = new Socket(endpoint.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (SourceAddress(endpoint, options) is { } source) socket.Bind(new IPEndPoint(source, 0));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.ConnectTimeoutSeconds));
            try
            {
                await socket.ConnectAsync(new IPEndPoint(endpoint.Address, endpoint.Port), timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new OutboundConnectionException($"connect to {Describe(endpoint)} timed out after {options.ConnectTimeoutSeconds}s");
            }
            catch (SocketException e)
            {
                throw new OutboundConnectionException($"connect to {Describe(endpoint)} failed: {e.SocketErrorCode}", inner: e);
            }
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The endpoint's own source address (an IP pool's, which must match the remote family), else the configured
    /// one when it is of the remote address's family (an IPv4 source cannot reach an IPv6 MX), else the OS's choice.
    /// </summary>
    private static IPAddress? SourceAddress(OutboundEndpoint endpoint, OutboundOptions options)
    {
        if (endpoint.SourceAddress is { } own)
        {
            if (own.AddressFamily != endpoint.Address.AddressFamily)
                throw new ArgumentException($"source address {own} cannot reach {endpoint.Address}", nameof(endpoint));
            return own;
        }
        return IPAddress.TryParse(options.SourceAddress, out var configured) && configured.AddressFamily == endpoint.Address.AddressFamily
            ? configured
            : null;
    }

    private async Task StartSessionAsync(OutboundOptions options, bool useStartTls, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            var greeting = await ReadAsync(timeout);
            if (greeting.Code != 220)
                throw new OutboundConnectionException($"{HostName} greeted with {greeting}", greeting, greeting.IsPermanent);
            await HelloAsync(options.Hostname, timeout);
            if (_capabilities.StartTls && useStartTls) await StartTlsAsync(options.Hostname, timeout);
            else if (_endpoint.Tls.Mode != TlsMode.Opportunistic)
                throw new OutboundConnectionException($"TLS required by {_endpoint.Tls.Reason} but not offered by {HostName}");
            if (_endpoint.Credentials is { } credentials) await AuthenticateAsync(credentials, options, timeout);
        }
        catch (Exception e)
        {
            _broken = true;
            if (IsTransportFault(e, ct)) throw Fault(e);
            throw;
        }
    }

    /// <summary>EHLO, or HELO when EHLO is not understood (RFC 5321 §3.2).</summary>
    private async Task HelloAsync(string hostname, CancellationTokenSource timeout)
    {
        var (code, lines) = await CommandAsync($"EHLO {hostname}", timeout);
        if (code == 250)
        {
            _capabilities = SmtpCapabilities.Parse(lines);
            return;
        }
        var ehlo = SmtpReplyInfo.FromLines(code, lines);
        if (code is not (500 or 502 or 504 or 550)) throw Refused("EHLO", ehlo);
        (code, lines) = await CommandAsync($"HELO {hostname}", timeout);
        if (code != 250) throw Refused("HELO", SmtpReplyInfo.FromLines(code, lines));
        _capabilities = SmtpCapabilities.None;
    }

    /// <summary>STARTTLS (RFC 3207 §4), the handshake with the caller's certificate check, and EHLO again (§4.2).</summary>
    private async Task StartTlsAsync(string hostname, CancellationTokenSource timeout)
    {
        var (code, lines) = await CommandAsync("STARTTLS", timeout);
        if (code != 220)
        {
            var reply = SmtpReplyInfo.FromLines(code, lines);
            if (code == 421 || _endpoint.Tls.Mode != TlsMode.Opportunistic)
                throw new OutboundConnectionException($"TLS required by {_endpoint.Tls.Reason} but {HostName} refused STARTTLS: {reply}", reply);
            return;
        }
        if (_reader.HasBufferedData) throw new InvalidDataException("data after the STARTTLS reply (RFC 3207 §4.2 injection)");
        string? refusal = null;
        var check = _endpoint.CertificateCheck ?? DefaultCheck(_endpoint.Tls.Mode);
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        var settings = new SslClientAuthenticationOptions
        {
            TargetHost = _endpoint.HostName,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (check(certificate as X509Certificate2, chain, errors, out var reason)) return true;
                refusal = reason;
                return false;
            },
        };
        try
        {
            timeout.CancelAfter(_commandTimeout);
            await tls.AuthenticateAsClientAsync(settings, timeout.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            _stream = tls;
            if (refusal is not null) throw new OutboundConnectionException($"certificate of {HostName} refused: {refusal}", inner: e);
            _handshakeFailed = true;
            throw new OutboundConnectionException($"TLS handshake with {HostName} failed: {e.Message}", inner: e);
        }
        _stream = tls;
        _reader = new SmtpReplyReader(tls);
        TlsDescription = $"{tls.SslProtocol} {tls.NegotiatedCipherSuite}";
        var (ehloCode, ehloLines) = await CommandAsync($"EHLO {hostname}", timeout);
        if (ehloCode != 250) throw Refused("EHLO after STARTTLS", SmtpReplyInfo.FromLines(ehloCode, ehloLines));
        _capabilities = SmtpCapabilities.Parse(ehloLines);
    }

    /// <summary>No caller check: any certificate when opportunistic (RFC 7435), a PKIX-valid one when TLS is required.</summary>
    private static ServerCertificateCheck DefaultCheck(TlsMode mode) =>
        (X509Certificate2? _, X509Chain? _, SslPolicyErrors errors, out string reason) =>
        {
            reason = errors.ToString();
            return mode == TlsMode.Opportunistic || errors == SslPolicyErrors.None;
        };

    /// <summary>
    /// AUTH PLAIN (RFC 4616) or LOGIN, only over TLS unless the relay is loopback and RelayRequireTls is off.
    /// A refused login is temporary: the relay's configuration is ours to fix, not the recipients' fault.
    /// </summary>
    private async Task AuthenticateAsync(SmtpCredentials credentials, OutboundOptions options, CancellationTokenSource timeout)
    {
        if (TlsDescription is null && !(IPAddress.IsLoopback(_endpoint.Address) && !options.RelayRequireTls))
            throw new OutboundConnectionException($"not sending AUTH to {HostName} without TLS");
        int code;
        List<string> lines;
        if (_capabilities.AuthMechanisms.Contains("PLAIN"))
        {
            var plain = Base64($"\0{credentials.UserName}\0{credentials.Password}");
            (code, lines) = await CommandAsync($"AUTH PLAIN {plain}", timeout);
        }
        else if (_capabilities.AuthMechanisms.Contains("LOGIN"))
        {
            (code, lines) = await CommandAsync("AUTH LOGIN", timeout);
            if (code == 334) (code, lines) = await CommandAsync(Base64(credentials.UserName), timeout);
            if (code == 334) (code, lines) = await CommandAsync(Base64(credentials.Password), timeout);
        }
        else throw new OutboundConnectionException($"{HostName} offers neither AUTH PLAIN nor AUTH LOGIN");
        if (code != 235)
        {
            var reply = SmtpReplyInfo.FromLines(code, lines);
            throw new OutboundConnectionException($"AUTH as {credentials.UserName} refused by {HostName}: {reply}", reply);
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>QUIT when the session is still in step (RFC 5321 §4.1.1.10), then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        if (IsUsable)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                _output.AppendLine("QUIT");
                await _output.FlushAsync(_stream, timeout.Token);
                await _reader.ReadAsync(timeout.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
            {
                // The server may close without answering QUIT; the connection is ended either way.
            }
        }
        await CloseAsync();
    }

    private async ValueTask CloseAsync()
    {
        _disposed = true;
        await _stream.DisposeAsync();
        _socket.Dispose();
        _output.Dispose();
        ArrayPool<byte>.Shared.Return(_chunk);
    }

    /// <summary>Sends one command and reads its reply, under the command timeout.</summary>
    private async ValueTask<(int Code, List<string> Lines)> CommandAsync(string line, CancellationTokenSource timeout)
    {
        _output.AppendLine(line);
        await FlushAsync(timeout);
        return await ReadLinesAsync(timeout);
    }

    private async ValueTask FlushAsync(CancellationTokenSource timeout)
    {
        timeout.CancelAfter(_commandTimeout);
        await _output.FlushAsync(_stream, timeout.Token);
    }

    private async ValueTask<(int Code, List<string> Lines)> ReadLinesAsync(CancellationTokenSource timeout)
    {
        timeout.CancelAfter(_commandTimeout);
        return await _reader.ReadAsync(timeout.Token);
    }

    /// <summary>Reads one reply; a 421 (RFC 5321 §3.8: the server is closing) ends the session.</summary>
    private async ValueTask<SmtpReplyInfo> ReadAsync(CancellationTokenSource timeout)
    {
        var (code, lines) = await ReadLinesAsync(timeout);
        var reply = SmtpReplyInfo.FromLines(code, lines);
        if (code == 421) throw new OutboundConnectionException($"{HostName} is closing the session: {reply}", reply);
        return reply;
    }

    private OutboundConnectionException Refused(string command, SmtpReplyInfo reply) =>
        new($"{HostName} refused {command}: {reply}", reply, reply.IsPermanent);

    /// <summary>A failure that ends the session: I/O, timeouts, protocol violations, or our own connection verdicts.</summary>
    private static bool IsTransportFault(Exception e, CancellationToken ct) =>
        e is OutboundConnectionException or IOException or SocketException or InvalidDataException or AuthenticationException
        || (e is OperationCanceledException && !ct.IsCancellationRequested);

    private OutboundConnectionException Fault(Exception e) => e switch
    {
        OutboundConnectionException known => known,
        OperationCanceledException => new OutboundConnectionException($"{HostName} did not answer within {_commandTimeout.TotalSeconds:0}s", inner: e),
        EndOfStreamException => new OutboundConnectionException($"{HostName} closed the connection", inner: e),
        InvalidDataException => new OutboundConnectionException($"protocol error with {HostName}: {e.Message}", inner: e),
        _ => new OutboundConnectionException($"connection to {HostName} failed: {e.Message}", inner: e),
    };

    private static string Describe(OutboundEndpoint endpoint) => $"{endpoint.HostName} [{endpoint.Address}]:{endpoint.Port}";
}
