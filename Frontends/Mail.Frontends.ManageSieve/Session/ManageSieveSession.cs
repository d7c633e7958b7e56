using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mail.Frontends.Hosting;
using Mail.Frontends.ManageSieve.Protocol;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Delivery;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>
/// The state of one ManageSieve connection (RFC 5804): not authenticated, then authenticated as an account; its
/// I/O, including the literals "{n+}" a command line may announce (RFC 5804 §4).
/// </summary>
public sealed class ManageSieveSession(
    ConnectionTransport transport,
    ManageSieveOptions options,
    System.Net.IPAddress remoteAddress,
    IGrainFactory grains,
    CredentialVerifier credentials,
    SaslDecoder sasl,
    X509Certificate2? certificate,
    ILogger logger) : IProtocolSession
{
    /// <summary>The connection's pipes.</summary>
    public ConnectionTransport Transport { get; } = transport;

    /// <summary>Settings.</summary>
    public ManageSieveOptions Options { get; } = options;

    /// <summary>Client IP address.</summary>
    public System.Net.IPAddress RemoteAddress { get; } = remoteAddress;

    /// <summary>Grains.</summary>
    public IGrainFactory Grains { get; } = grains;

    /// <summary>The credential check, with its guessing throttle.</summary>
    public CredentialVerifier Credentials { get; } = credentials;

    /// <summary>The SASL decoder of AUTHENTICATE.</summary>
    public SaslDecoder Sasl { get; } = sasl;

    /// <summary>Certificate for STARTTLS, if configured.</summary>
    public X509Certificate2? Certificate { get; } = certificate;

    /// <summary>Logger.</summary>
    public ILogger Logger { get; } = logger;

    /// <summary>Session id, the key of log lines.</summary>
    public string Id { get; } = "sieve:" + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    /// <summary>The authenticated account, or null.</summary>
    public AccountInfo? Account { get; set; }

    /// <summary>The account's scripts (only once authenticated).</summary>
    public ISieveScriptsGrain Scripts => Grains.GetGrain<ISieveScriptsGrain>(Account!.AccountId);

    /// <summary>NO responses sent.</summary>
    public int Errors { get; set; }

    /// <summary>Set to end the session after the current response.</summary>
    public bool Closing { get; set; }

    /// <summary>Whether AUTHENTICATE may be used now: under TLS, or when plaintext login is allowed.</summary>
    public bool MayAuthenticate => Transport.IsTls || Options.AllowPlaintextAuth;

    /// <summary>The deadlines for the next command: shorter before login.</summary>
    public SessionDeadlines Deadlines
    {
        get
        {
            var wait = TimeSpan.FromSeconds(Account is null ? Math.Min(Options.PreAuthTimeoutSeconds, Options.CommandTimeoutSeconds) : Options.CommandTimeoutSeconds);
            return new SessionDeadlines(wait, wait);
        }
    }

    /// <summary>Queues response text; it is flushed before the session waits for input.</summary>
    public void Write(string text)
    {
        if (text.StartsWith("NO", StringComparison.Ordinal)) Errors++;
        Transport.Output.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Queues the capability listing (RFC 5804 §1.7) without the closing OK.</summary>
    public void WriteCapabilities()
    {
        var builder = new StringBuilder();
        builder.Append("\"IMPLEMENTATION\" \"Mail ManageSieve\"\r\n");
        builder.Append("\"SASL\" \"").Append(MayAuthenticate ? "PLAIN" : "").Append("\"\r\n");
        builder.Append("\"SIEVE\" \"").Append(string.Join(' ', SieveCapabilities.Extensions)).Append("\"\r\n");
        if (!Transport.IsTls && Certificate is not null) builder.Append("\"STARTTLS\"\r\n");
        builder.Append("\"MAXREDIRECTS\" \"").Append(Options.MaxRedirects).Append("\"\r\n");
        if (Account is not null) builder.Append("\"OWNER\" ").Append(ManageSieveResponse.String(Account.Address)).Append("\r\n");
        builder.Append("\"VERSION\" \"1.0\"\r\n");
        Write(builder.ToString());
    }

    /// <summary>Reads one command, with the literals its lines announce; null at end of input.</summary>
    public async Task<ManageSieveCommand?> ReadCommandAsync(CancellationToken ct)
    {
        var tokens = new List<string>();
        while (true)
        {
            var read = await Transport.ReadLineAsync(Options.MaxLineLength, ct);
            if (read is not { } line) return null;
            if (line.Status == LineStatus.TooLong) return new ManageSieveCommand("", [], "line too long");
            var literal = CommandLineParser.Parse(Encoding.UTF8.GetString(line.Line), tokens, out var error);
            if (error is not null) return new ManageSieveCommand("", [], error);
            if (literal < 0) break;
            if (literal > Options.MaxLiteralBytes)
            {
                // The literal's octets are on their way and cannot be told from commands: the session cannot go on.
                Closing = true;
                return new ManageSieveCommand("", [], $"literal larger than {Options.MaxLiteralBytes} octets");
            }
            tokens.Add(await ReadLiteralAsync((int)literal, ct));
        }
        if (tokens.Count == 0) return new ManageSieveCommand("", [], "empty command");
        return new ManageSieveCommand(tokens[0].ToUpperInvariant(), tokens.Skip(1).ToArray(), null, tokens[0]);
    }

    private async Task<string> ReadLiteralAsync(int length, CancellationToken ct)
    {
        var octets = new byte[length];
        var got = 0;
        while (got < length)
        {
            var result = await Transport.Input.ReadAsync(ct);
            var buffer = result.Buffer;
            var take = (int)Math.Min(buffer.Length, length - got);
            buffer.Slice(0, take).CopyTo(octets.AsSpan(got));
            got += take;
            Transport.Input.AdvanceTo(buffer.GetPosition(take));
            if (got < length && result.IsCompleted) throw new IOException("The client closed the connection inside a literal.");
        }
        return Encoding.UTF8.GetString(octets);
    }
}
