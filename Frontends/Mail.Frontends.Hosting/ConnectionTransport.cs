using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Mail.Frontends.Hosting;

/// <summary>
/// The byte pipes of one protocol connection, swapped for TLS pipes by STARTTLS/STLS (RFC 3207, RFC 2595) and for DEFLATE pipes by
/// IMAP COMPRESS (RFC 4978).
/// </summary>
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
    /// cross into the TLS session), sends the go-ahead reply the caller wrote, and performs the server handshake.
    /// The reply must still be unflushed: once the client has it, its ClientHello may arrive at any moment and
    /// would be dropped as pipelined plaintext, leaving both sides waiting until the handshake timeout.
    /// </summary>
    public async Task StartTlsAsync(X509Certificate2 certificate, CancellationToken ct)
    {
        if (Output.CanGetUnflushedBytes && Output.UnflushedBytes == 0)
        {
            throw new InvalidOperationException("The STARTTLS reply must be written, not flushed, before the handshake starts.");
        }
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
    /// <see cref="StartTlsAsync"/> within <paramref name="timeout"/>, as every protocol's STARTTLS/STLS runs it: false when the
    /// handshake failed, timed out or the client went away, after which the session must close, since nothing more may be
    /// said in plaintext.
    /// </summary>
    public async Task<bool> TryStartTlsAsync(X509Certificate2 certificate, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            await StartTlsAsync(certificate, deadline.Token);
            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Whether COMPRESS (RFC 4978) is active: both directions are raw DEFLATE.</summary>
    public bool IsCompressed => _inflate is not null;

    /// <summary>
    /// Swaps the pipes for raw DEFLATE (RFC 1951) both ways, over TLS when that is on (IMAP COMPRESS=DEFLATE, RFC 4978 §3):
    /// what the client sends from now on is inflated, what is written is deflated, and each flush ends with a sync flush so
    /// the client can read every response as soon as it is sent (§4). Octets already received after the command are the
    /// start of the compressed stream and are inflated with it.
    /// </summary>
    public async Task StartCompressionAsync(CancellationToken ct)
    {
        await Output.FlushAsync(ct);
        var inner = new DuplexPipeStream(new PipePair(Input, Output));
        _inflate = new DeflateStream(inner, CompressionMode.Decompress, leaveOpen: true);
        _deflate = new DeflateStream(inner, CompressionLevel.Fastest, leaveOpen: true);
        Input = PipeReader.Create(_inflate, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        Output = PipeWriter.Create(_deflate, new StreamPipeWriterOptions(leaveOpen: true));
    }

    private DeflateStream? _inflate;
    private DeflateStream? _deflate;

    private sealed record PipePair(PipeReader Input, PipeWriter Output) : IDuplexPipe;

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
        // The zlib state is native memory; the peer may be gone, so a final block that cannot be written is dropped.
        foreach (var stream in new[] { _deflate, _inflate })
        {
            try
            {
                if (stream is not null) await stream.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
            {
            }
        }
        if (_tls is not null) await _tls.DisposeAsync();
    }

    private static string Describe(SslProtocols protocol, string? cipher) =>
        $"{protocol switch { SslProtocols.Tls13 => "TLSv1.3", SslProtocols.Tls12 => "TLSv1.2", _ => protocol.ToString() }} with cipher {cipher ?? "unknown"}";
}
