namespace Mail.Grains.Outbound;

/// <summary>Settings of the outbound MTA, bound from "Mail:Outbound" (README lists them).</summary>
public sealed class OutboundOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail:Outbound";

    /// <summary>Run the sender in this silo (tests of other parts turn it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Name sent in EHLO and used as Reporting-MTA; the host's MAIL_HOSTNAME.</summary>
    public string Hostname { get; set; } = "localhost";

    /// <summary>Resolvers as "ip[:port]"; empty means the system's (MAIL_DNS_SERVERS).</summary>
    public List<string> DnsServers { get; set; } = [];

    /// <summary>DNS query timeout.</summary>
    public int DnsTimeoutSeconds { get; set; } = 5;

    /// <summary>Local address outbound connections are bound to; empty lets the OS choose.</summary>
    public string? SourceAddress { get; set; }

    /// <summary>Port of remote MX hosts (25; tests run receivers elsewhere).</summary>
    public int RemotePort { get; set; } = 25;

    /// <summary>Smarthost: every message goes there instead of through MX when set.</summary>
    public string? RelayHost { get; set; }

    /// <summary>Smarthost port.</summary>
    public int RelayPort { get; set; } = 587;

    /// <summary>Smarthost AUTH user (AUTH only when set).</summary>
    public string? RelayUsername { get; set; }

    /// <summary>Smarthost AUTH password.</summary>
    public string? RelayPassword { get; set; }

    /// <summary>Smarthost requires STARTTLS (AUTH is never sent in plaintext unless this is false and the relay is loopback).</summary>
    public bool RelayRequireTls { get; set; } = true;

    /// <summary>Connect timeout per MX host.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 30;

    /// <summary>Timeout of each SMTP command and of the data transfer.</summary>
    public int CommandTimeoutSeconds { get; set; } = 300;

    /// <summary>Concurrent connections per destination site.</summary>
    public int ConnectionsPerDestination { get; set; } = 10;

    /// <summary>Messages sent over one connection before it is closed.</summary>
    public int MessagesPerConnection { get; set; } = 100;

    /// <summary>Jobs a destination holds in memory; more are handed back to the queue for a few seconds.</summary>
    public int MaxQueuedPerDestination { get; set; } = 2000;

    /// <summary>Idle time after which a destination's open connection is closed.</summary>
    public int ConnectionIdleSeconds { get; set; } = 5;

    /// <summary>
    /// How long a resolved route (MX hosts with their TLS policy) is reused before DNS is asked again; 0 asks every
    /// time. Failed lookups are never reused. A route is at most this stale, as behind a caching resolver.
    /// </summary>
    public int RouteCacheSeconds { get; set; } = 30;

    /// <summary>Overrides by MX host suffix (e.g. "google.com"): connections and messages per connection.</summary>
    public Dictionary<string, DestinationLimits> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>First retry delay (Postfix minimal_backoff_time).</summary>
    public int MinimalBackoffSeconds { get; set; } = 300;

    /// <summary>Largest retry delay (Postfix maximal_backoff_time).</summary>
    public int MaximalBackoffSeconds { get; set; } = 4000;

    /// <summary>Give up and bounce after this long in the queue (Postfix maximal_queue_lifetime).</summary>
    public double QueueLifetimeHours { get; set; } = 120;

    /// <summary>Send a delay warning DSN after this long; 0 turns warnings off.</summary>
    public double DelayWarningHours { get; set; }

    /// <summary>How long a dispatched row stays leased before another sender may take it (covers a crash mid-delivery).</summary>
    public int LeaseSeconds { get; set; } = 900;

    /// <summary>Rows leased per scheduler pass.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Refuse mail from a domain whose DKIM record is not verified.</summary>
    public bool RequireVerifiedDomains { get; set; } = true;

    /// <summary>HTTPS port of MTA-STS policy hosts (443; tests serve policies elsewhere).</summary>
    public int MtaStsPort { get; set; } = 443;

    /// <summary>PEM file of extra roots trusted for MTA-STS and relay certificates (tests use their own CA).</summary>
    public string? ExtraTrustedRootsPath { get; set; }

    /// <summary>Sign outgoing mail with Ed25519 (RFC 8463) as well as RSA.</summary>
    public bool Ed25519 { get; set; }
}

/// <summary>Connection limits of one destination site or provider.</summary>
public sealed class DestinationLimits
{
    /// <summary>Concurrent connections.</summary>
    public int? Connections { get; set; }

    /// <summary>Messages per connection.</summary>
    public int? MessagesPerConnection { get; set; }
}
