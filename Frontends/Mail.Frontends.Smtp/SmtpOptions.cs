namespace Mail.Frontends.Smtp;

/// <summary>Settings of the SMTP frontend, bound from "Mail:Smtp". A port of 0 disables that listener.</summary>
public sealed class SmtpOptions
{
    /// <summary>Name in the greeting, EHLO reply and Received headers.</summary>
    public string HostName { get; set; } = "localhost";

    /// <summary>Address the listeners bind.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>MX port: mail for the cluster's domains, no AUTH (25 in production).</summary>
    public int MxPort { get; set; } = 2525;

    /// <summary>Submission port with STARTTLS (RFC 6409; 587 in production).</summary>
    public int SubmissionPort { get; set; } = 2587;

    /// <summary>Submission port with implicit TLS (RFC 8314; 465 in production).</summary>
    public int SubmissionTlsPort { get; set; } = 2465;

    /// <summary>Largest message accepted, announced in SIZE (RFC 1870).</summary>
    public long MaxMessageBytes { get; set; } = 25L * 1000 * 1000;

    /// <summary>Most recipients per transaction (RFC 5321 §4.5.3.1.8 asks for at least 100).</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>How long RCPT TO keeps a local recipient's route (<see cref="Session.RecipientCache"/>); 0 asks the grains every time.</summary>
    public int RecipientCacheSeconds { get; set; } = 5;

    /// <summary>Most addresses <see cref="Session.RecipientCache"/> keeps.</summary>
    public int RecipientCacheEntries { get; set; } = 100_000;

    /// <summary>Longest command line, CRLF included (512 in RFC 5321 §4.5.3.1.4, raised for ESMTP parameters).</summary>
    public int MaxCommandLineLength { get; set; } = 2048;

    /// <summary>
    /// Commands outside completed transactions after which a session is closed with 421: the count starts again at
    /// every message accepted (250), so only a client that keeps talking without delivering anything reaches it.
    /// </summary>
    public int MaxCommandsPerSession { get; set; } = 1000;

    /// <summary>Error replies after which a session is closed with 421.</summary>
    public int MaxErrorsPerSession { get; set; } = 10;

    /// <summary>Simultaneous sessions from one client address, per listener.</summary>
    public int MaxConnectionsPerIp { get; set; } = 100;

    /// <summary>Simultaneous sessions per listener from all clients; over it a new connection gets 421 4.7.0 and is closed.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Seconds to wait for a command, and for its line to arrive in full (RFC 5321 §4.5.3.2.7 suggests 5 minutes).</summary>
    public int CommandTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// The same on a submission port before AUTH succeeds (never longer than <see cref="CommandTimeoutSeconds"/>): a
    /// client that has not logged in holds a session no longer than this between commands.
    /// </summary>
    public int PreAuthTimeoutSeconds { get; set; } = 60;

    /// <summary>Seconds to wait for each block of message data (RFC 5321 §4.5.3.2.5 suggests 3 minutes).</summary>
    public int DataTimeoutSeconds { get; set; } = 180;

    /// <summary>
    /// Seconds a message's content may take in all: DATA from 354 to the final dot, or BDAT from the first chunk to LAST,
    /// so a client trickling a byte within every <see cref="DataTimeoutSeconds"/> cannot hold the session (then 421 4.4.2).
    /// </summary>
    public int DataDeadlineSeconds { get; set; } = 600;

    /// <summary>Allow AUTH without TLS (loopback development only).</summary>
    public bool AllowPlaintextAuth { get; set; }

    /// <summary>On submission, refuse a message whose header From is not the authenticated user's address or alias (550 5.7.1).</summary>
    public bool RequireOwnHeaderFrom { get; set; } = true;

    /// <summary>Sender authentication on the MX ("Mail:Smtp:InboundAuth").</summary>
    public InboundAuthOptions InboundAuth { get; set; } = new();
}
