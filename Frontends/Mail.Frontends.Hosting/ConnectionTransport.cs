using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Mail.Frontends.Hosting;

/// <summary>The byte pipes of one protocol connection, swapped for TLS pipes by STARTTLS/STLS (RFC 3207, RFC 2595).</summary>
public sealed class ConnectionTransport(ConnectionContext connection) : IAsyncDisposable
{
    private SslStream? _tls;

    /// <summary>Bytes from the client.</summary>
    public PipeReader Input { get; private set; } = connection.Transport.Input;

    /// <summary>Bytes to the client.</summary>
    public PipeWriter Output { get; private set; } = connection.Transport.Output;

    /// <summary>Protocol and cipher when the connection is encrypted (implicit TLS or STARTTLS), else null.</summary>
    public string? TlsDescription { get; private set; } = connection.Features.Get<ITlsHandshakeFeature>() is { } tls
        ? Describe(tls.Protocol, tls.NegotiatedCipherSuite?.ToString())
        : null;

    /// <summary>Whether the connection is encrypted.</summary>
    public bool IsTls => TlsDescription is not null;

    /// <summary>
    /// Drops whatever the client sent after STARTTLS (RFC 3207 §4.2, RFC 9051 §6.2.1: no plaintext command may
    /// cross into the TLS session) and performs the server handshake.
    /// </summary>
    public async Task StartTlsAsync(X509Certificate2 certificate, CancellationToken ct)
    {
        if (Input.TryRead(out var pending)) Input.AdvanceTo(pending.Buffer.End);
        await Output.FlushAsync(ct);
        _tls = new SslStream(new DuplexPipeStream(connection.Transport), leaveInnerStreamOpen: false);
        await _tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = certificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        }, ct);
        Input = PipeReader.Create(_tls, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        Output = PipeWriter.Create(_tls, new StreamPipeWriterOptions(leaveOpen: true));
        TlsDescription = Describe(_tls.SslProtocol, _tls.NegotiatedCipherSuite.ToString());
    }

    /// <summary>
    /// Waits until input is there (false when the client has closed without sending more), consuming nothing. Queued
    /// replies are flushed only when it has to wait, so pipelined commands get their replies in one write.
    /// </summary>
    public async ValueTask<bool> WaitForInputAsync(CancellationToken ct)
    {
        if (!Input.TryRead(out var result))
        {
            await Output.FlushAsync(ct);
            result = await Input.ReadAsync(ct);
        }
        // Nothing examined either, so the next read returns these octets at once.
        Input.AdvanceTo(result.Buffer.Start);
        return !result.Buffer.IsEmpty || !result.IsCompleted;
    }

    /// <summary>
    /// Reads the next line of at most <paramref name="maxLength"/> octets with <see cref="LineReader"/>; null at end of
    /// input. A longer line is skipped whole and reported as <see cref="LineStatus.TooLong"/>. Queued replies are
    /// flushed before it has to wait, unless <paramref name="flush"/> is false (a reader running beside a writer, as
    /// during IMAP IDLE, must leave the output to it).
    /// </summary>
    public async Task<ProtocolLine?> ReadLineAsync(int maxLength, CancellationToken ct, bool flush = true)
    {
        var skipping = false;
        var mustWait = false;
        while (true)
        {
            ReadResult result;
            if (mustWait || !Input.TryRead(out result))
            {
                if (flush) await Output.FlushAsync(ct);
                result = await Input.ReadAsync(ct);
            }
            var reader = new SequenceReader<byte>(result.Buffer);
            if (!skipping)
            {
                var status = LineReader.TryRead(ref reader, maxLength, out var line);
                if (status == LineStatus.Complete)
                {
                    var copy = new ReadOnlySequence<byte>(line.ToArray());
                    Input.AdvanceTo(reader.Position);
                    return new ProtocolLine(status, copy);
                }
                if (status == LineStatus.TooLong)
                {
                    skipping = true;
                    reader = new SequenceReader<byte>(result.Buffer);
                }
            }
            if (skipping)
            {
                var found = LineReader.TrySkipLine(ref reader);
                Input.AdvanceTo(reader.Position);
                if (found) return new ProtocolLine(LineStatus.TooLong, default);
            }
            else
            {
                Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
            if (result.IsCompleted) return null;
            mustWait = true;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_tls is not null) await _tls.DisposeAsync();
    }

    private static string Describe(SslProtocols protocol, string? cipher) =>
        $"{protocol switch { SslProtocols.Tls13 => "TLSv1.3", SslProtocols.Tls12 => "TLSv1.2", _ => protocol.ToString() }} with cipher {cipher ?? "unknown"}";
}
