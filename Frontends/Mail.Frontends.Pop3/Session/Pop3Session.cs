using System.Security.Cryptography.X509Certificates;
using Mail.Frontends.Hosting;
using Mail.Frontends.Pop3.Protocol;
using Mail.Grains.Interfaces.Accounts;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// The state of one POP3 connection (RFC 1939 §3) and its I/O: handlers read further lines through it and
/// queue responses, which go out when the client has no more pipelined commands waiting (RFC 2449 §6.6).
/// </summary>
public sealed class Pop3Session(
    ConnectionTransport transport,
    Pop3Options options,
    System.Net.IPAddress remoteAddress,
    IGrainFactory grains,
    CredentialVerifier credentials,
    IBlobStore blobs,
    X509Certificate2? certificate,
    ILogger logger) : IProtocolSession
{
    /// <summary>The connection's pipes.</summary>
    public ConnectionTransport Transport { get; } = transport;

    /// <summary>Settings.</summary>
    public Pop3Options Options { get; } = options;

    /// <summary>Grains.</summary>
    public IGrainFactory Grains { get; } = grains;

    /// <summary>Client IP address.</summary>
    public System.Net.IPAddress RemoteAddress { get; } = remoteAddress;

    /// <summary>The credential check, with its guessing throttle.</summary>
    public CredentialVerifier Credentials { get; } = credentials;

    /// <summary>The SASL decoder of AUTH.</summary>
    public required SaslDecoder Sasl { get; init; }

    /// <summary>The logged-in account, or null before login.</summary>
    public AccountInfo? Account { get; set; }

    /// <summary>Blob store for message content.</summary>
    public IBlobStore Blobs { get; } = blobs;

    /// <summary>Certificate for STLS, if configured.</summary>
    public X509Certificate2? Certificate { get; } = certificate;

    /// <summary>Logger.</summary>
    public ILogger Logger { get; } = logger;

    /// <summary>Session id: the maildrop lock holder and the key of log lines.</summary>
    public string Id { get; } = "pop3:" + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    /// <summary>The RFC 1939 state.</summary>
    public Pop3State State { get; set; } = Pop3State.Authorization;

    /// <summary>The name from a USER command that PASS must follow immediately (RFC 1939 §7), or null.</summary>
    public string? PendingUser { get; set; }

    /// <summary>The locked maildrop in TRANSACTION state, or null.</summary>
    public Pop3Maildrop? Maildrop { get; set; }

    /// <summary>Negative responses sent.</summary>
    public int Errors { get; set; }

    /// <summary>Set by a handler to end the session after its response.</summary>
    public bool Closing { get; set; }

    /// <summary>Whether USER/PASS and AUTH may be used now: under TLS, or when plaintext login is allowed (RFC 2595 §4).</summary>
    public bool MayAuthenticate => Transport.IsTls || Options.AllowPlaintextAuth;

    /// <summary>How long to wait for the next command once logged in.</summary>
    public TimeSpan CommandTimeout => TimeSpan.FromSeconds(Options.CommandTimeoutSeconds);

    /// <summary>How long the next command (or an AUTH answer, or the STLS handshake) may take to begin and to arrive: shorter before login.</summary>
    public SessionDeadlines Deadlines
    {
        get
        {
            var wait = State == Pop3State.Authorization
                ? TimeSpan.FromSeconds(Math.Min(Options.PreAuthTimeoutSeconds, Options.CommandTimeoutSeconds))
                : CommandTimeout;
            return new SessionDeadlines(wait, wait);
        }
    }

    /// <summary>
    /// The maildrop lock lease: longer than a logged-in client may take from one command to the next (the idle time,
    /// then its line), so a client within the limits keeps its lock; each command renews it, and it lapses on its own if
    /// this frontend dies.
    /// </summary>
    public TimeSpan LockLease => CommandTimeout * 2 + TimeSpan.FromMinutes(1);

    /// <summary>Queues a response; it is flushed before the session waits for input.</summary>
    public void Reply(Pop3Response response)
    {
        if (!response.Ok) Errors++;
        response.WriteTo(Transport.Output);
    }

    /// <summary>Sends queued responses now.</summary>
    public async Task FlushAsync(CancellationToken ct) => await Transport.Output.FlushAsync(ct);

    /// <summary>Reads the next command line within the POP3 line limit (see <see cref="ConnectionTransport.ReadLineAsync"/>).</summary>
    public Task<ProtocolLine?> ReadLineAsync(CancellationToken ct) =>
        Transport.ReadLineAsync(Options.MaxLineLength, ct);
}
