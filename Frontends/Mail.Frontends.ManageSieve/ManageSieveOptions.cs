namespace Mail.Frontends.ManageSieve;

/// <summary>Settings of the ManageSieve frontend (RFC 5804), bound from "Mail:ManageSieve". A port of 0 disables it.</summary>
public sealed class ManageSieveOptions
{
    /// <summary>Address the listener binds.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Port with STARTTLS (RFC 5804 §1.8: 4190).</summary>
    public int Port { get; set; } = 4190;

    /// <summary>Simultaneous sessions from one client address.</summary>
    public int MaxConnectionsPerIp { get; set; } = 20;

    /// <summary>Simultaneous sessions from all clients.</summary>
    public int MaxConnections { get; set; } = 500;

    /// <summary>Longest command line, CRLF included (literals are counted apart).</summary>
    public int MaxLineLength { get; set; } = 8192;

    /// <summary>Largest literal a client may send (a script); the account's script limit (Mail:Sieve:MaxScriptBytes) applies after it.</summary>
    public int MaxLiteralBytes { get; set; } = 1024 * 1024;

    /// <summary>Seconds to wait for a command once logged in.</summary>
    public int CommandTimeoutSeconds { get; set; } = 600;

    /// <summary>The same before login (never longer than <see cref="CommandTimeoutSeconds"/>).</summary>
    public int PreAuthTimeoutSeconds { get; set; } = 60;

    /// <summary>NO responses after which a session is closed with BYE.</summary>
    public int MaxErrorsPerSession { get; set; } = 20;

    /// <summary>MAXREDIRECTS advertised; the host sets it from Mail:Sieve:MaxRedirects, which the delivery engine enforces.</summary>
    public int MaxRedirects { get; set; } = 4;

    /// <summary>Allow AUTHENTICATE without TLS (RFC 5804 §2.1 wants TLS first; loopback development only).</summary>
    public bool AllowPlaintextAuth { get; set; }
}
