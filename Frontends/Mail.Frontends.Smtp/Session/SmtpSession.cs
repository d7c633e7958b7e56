using Mail.Frontends.Hosting;
using System.Security.Cryptography.X509Certificates;
using Mail.Frontends.Smtp.Protocol;
using Mail.Grains.Interfaces.Accounts;
using Mail.Security;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// The state of one SMTP connection (RFC 5321 §4.1.4 command order) and its I/O: handlers read
/// further lines or message data through it and queue replies, which go out when the client has no
/// more pipelined commands waiting (RFC 2920).
/// </summary>
public sealed class SmtpSession(
    SmtpListener listener,
    ConnectionTransport transport,
    System.Net.IPAddress remoteAddress,
    SmtpOptions options,
    IGrainFactory grains,
    CredentialVerifier credentials,
    IBlobStore blobs,
    X509Certificate2? certificate,
    ILogger logger) : IProtocolSession
{
    /// <summary>Listener the client connected to.</summary>
    public SmtpListener Listener { get; } = listener;

    /// <summary>The connection's pipes.</summary>
    public ConnectionTransport Transport { get; } = transport;

    /// <summary>Client IP address.</summary>
    public System.Net.IPAddress RemoteAddress { get; } = remoteAddress;

    /// <summary>Settings.</summary>
    public SmtpOptions Options { get; } = options;

    /// <summary>Grains.</summary>
    public IGrainFactory Grains { get; } = grains;

    /// <summary>The credential check, with its guessing throttle.</summary>
    public CredentialVerifier Credentials { get; } = credentials;

    /// <summary>Blob store for message content.</summary>
    public IBlobStore Blobs { get; } = blobs;

    /// <summary>Certificate for STARTTLS, if configured.</summary>
    public X509Certificate2? Certificate { get; } = certificate;

    /// <summary>Logger.</summary>
    public ILogger Logger { get; } = logger;

    /// <summary>The SASL decoder of AUTH.</summary>
    public required SaslDecoder Sasl { get; init; }

    /// <summary>Sender authentication for this session's messages (the MX with it enabled), else null.</summary>
    public InboundAuthenticator? Authenticator { get; init; }

    /// <summary>Session id, used in Received headers and logs.</summary>
    public string Id { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16];

    /// <summary>The name the client gave in EHLO/HELO, or null before it.</summary>
    public string? ClientName { get; set; }

    /// <summary>Whether the client greeted with EHLO (ESMTP).</summary>
    public bool Extended { get; set; }

    /// <summary>The authenticated account (submission), or null.</summary>
    public AccountInfo? Account { get; set; }

    /// <summary>The transaction in progress, or null.</summary>
    public SmtpEnvelope? Envelope { get; set; }

    /// <summary>Chunks received by BDAT in this transaction (RFC 3030), or null when not chunking.</summary>
    public MessageSink? Chunks { get; set; }

    /// <summary>The line-end check over this transaction's BDAT chunks, with <see cref="Chunks"/>.</summary>
    public BareLineEndDetector? ChunkLineEnds { get; set; }

    /// <summary>When this transaction's first BDAT chunk began (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), or null.</summary>
    public long? ChunksStarted { get; set; }

    /// <summary>
    /// Commands since the last completed transaction (the limit's count): a transaction that ends in 250 forgives
    /// its own commands and those before it, so a sender reusing one connection for any number of messages is never
    /// cut off for that, while one that never completes a transaction is (Postfix resets its junk-command count the same way).
    /// </summary>
    public int Commands { get; set; }

    /// <summary>Error replies sent.</summary>
    public int Errors { get; set; }

    /// <summary>Set by a handler to end the session after its reply.</summary>
    public bool Closing { get; set; }

    /// <summary>Whether this listener is a submission port.</summary>
    public bool IsSubmission => Listener != SmtpListener.Mx;

    /// <summary>
    /// How long the next command may take to begin and to arrive: the command timeout, shorter on a submission port until
    /// AUTH succeeds. The MX keeps RFC 5321 §4.5.3.2.7's five minutes: its clients are servers that never log in.
    /// </summary>
    public SessionDeadlines Deadlines
    {
        get
        {
            var command = TimeSpan.FromSeconds(Options.CommandTimeoutSeconds);
            var wait = IsSubmission && Account is null ? TimeSpan.FromSeconds(Math.Min(Options.PreAuthTimeoutSeconds, Options.CommandTimeoutSeconds)) : command;
            return new SessionDeadlines(wait, wait);
        }
    }

    /// <summary>How long a message's content may take in all (DATA, or BDAT from the first chunk).</summary>
    public TimeSpan DataDeadline => TimeSpan.FromSeconds(Options.DataDeadlineSeconds);

    /// <summary>Forgets the transaction (RSET, EHLO, after a message).</summary>
    public async Task ResetTransactionAsync()
    {
        Envelope = null;
        ChunkLineEnds = null;
        ChunksStarted = null;
        if (Chunks is { } chunks)
        {
            Chunks = null;
            await chunks.AbortAsync();
        }
    }

    /// <summary>Queues a reply; it is flushed before the session waits for input.</summary>
    public void Reply(SmtpReply reply)
    {
        if (reply.IsError) Errors++;
        reply.WriteTo(Transport.Output);
    }

    /// <summary>Sends queued replies now.</summary>
    public async Task FlushAsync(CancellationToken ct) => await Transport.Output.FlushAsync(ct);

    /// <summary>Reads the next command line within the SMTP line limit (see <see cref="ConnectionTransport.ReadLineAsync"/>).</summary>
    public Task<ProtocolLine?> ReadLineAsync(CancellationToken ct) =>
        Transport.ReadLineAsync(Options.MaxCommandLineLength, ct);
}
