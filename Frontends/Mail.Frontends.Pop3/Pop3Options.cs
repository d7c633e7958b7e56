namespace Mail.Frontends.Pop3;

/// <summary>Settings of the POP3 frontend, bound from "Mail:Pop3". A port of 0 disables that listener.</summary>
public sealed class Pop3Options
{
    /// <summary>Simultaneous sessions from one client address, per listener.</summary>
    public int MaxConnectionsPerIp { get; set; } = 100;

    /// <summary>Simultaneous sessions per listener from all clients; over it a new connection gets -ERR [SYS/TEMP] and is closed.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Address the listeners bind.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Port with STLS (RFC 2595 §4; 110 in production).</summary>
    public int Port { get; set; } = 2110;

    /// <summary>Port with implicit TLS (RFC 8314 §3.3; 995 in production).</summary>
    public int TlsPort { get; set; } = 2995;

    /// <summary>
    /// Longest command line, CRLF included. RFC 2449 §4 sets 255 octets; more is accepted so that an
    /// AUTH PLAIN line with a long address and password still fits (RFC 5034 §4 lets SASL responses exceed it).
    /// </summary>
    public int MaxLineLength { get; set; } = 1024;

    /// <summary>
    /// Seconds to wait for a command, and for its line to arrive in full, before closing without UPDATE (RFC 1939 §3:
    /// at least 10 minutes).
    /// </summary>
    public int CommandTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// The same in the AUTHORIZATION state (never longer than <see cref="CommandTimeoutSeconds"/>), STLS and the AUTH
    /// exchange included: a client that has not logged in holds a session no longer than this between commands, as
    /// Dovecot's login processes do; RFC 1939's ten minutes protect a logged-in client's maildrop lock.
    /// </summary>
    public int PreAuthTimeoutSeconds { get; set; } = 60;

    /// <summary>Negative responses after which a session is closed.</summary>
    public int MaxErrorsPerSession { get; set; } = 10;

    /// <summary>Allow USER/PASS and AUTH without TLS (RFC 2595 §4 forbids it by default; loopback development only).</summary>
    public bool AllowPlaintextAuth { get; set; }
}
