namespace Mail.Frontends.Imap;

/// <summary>Settings of the IMAP frontend, bound from "Mail:Imap". A port of 0 disables that listener.</summary>
public sealed class ImapOptions
{
    /// <summary>
    /// LOGIN-REFERRALS (RFC 2221): domains whose not-yet-migrated mailboxes live on another IMAP server, by domain, as
    /// that server's host[:port]. A login there for an address with no account here is answered
    /// "NO [REFERRAL imap://user;AUTH=*@host/]" instead of a plain failure.
    /// </summary>
    public Dictionary<string, string> Referrals { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How often a long command (SEARCH, SORT, FETCH, STORE, COPY/MOVE over many messages) reports its progress with an
    /// untagged INPROGRESS response (RFC 9585); 0 turns the reports off.
    /// </summary>
    public int ProgressIntervalMilliseconds { get; set; } = 2000;

    /// <summary>Simultaneous sessions from one client address, per listener.</summary>
    public int MaxConnectionsPerIp { get; set; } = 100;

    /// <summary>Simultaneous sessions per listener from all clients; over it a new connection gets "* BYE" as its greeting.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Address the listeners bind.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Port with STARTTLS (143 in production).</summary>
    public int Port { get; set; } = 2143;

    /// <summary>Port with implicit TLS (RFC 8314; 993 in production).</summary>
    public int TlsPort { get; set; } = 2993;

    /// <summary>
    /// Longest command line (each line between literals), CRLF included, after login; RFC 7162 §4 asks for at least
    /// 8192 octets, and a SEARCH or FETCH of a long UID set needs more.
    /// </summary>
    public int MaxLineLength { get; set; } = 64 * 1024;

    /// <summary>
    /// Longest command line before login: room for an ID command of RFC 2971's maximum size (30 fields, values of
    /// 1024 octets: about 32 KB), bounded so an anonymous connection cannot hold much memory.
    /// </summary>
    public int PreAuthMaxLineLength { get; set; } = 36 * 1024;

    /// <summary>Largest literal, which bounds APPEND: the message size limit.</summary>
    public long MaxLiteralBytes { get; set; } = 25L * 1000 * 1000;

    /// <summary>Deepest nesting of parenthesized lists and search keys in a command.</summary>
    public int MaxNesting { get; set; } = 16;

    /// <summary>Minutes of inactivity (IDLE included) before the autologout timer closes a logged-in session (RFC 9051 §5.4: at least 30).</summary>
    public int IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>
    /// Seconds of inactivity before the autologout timer closes a session that has not logged in; each command, STARTTLS
    /// handshake and AUTHENTICATE answer there must also arrive within it. RFC 9051 §5.4 does not restrict this timer.
    /// </summary>
    public int PreAuthIdleTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// Seconds a command may take to arrive in full, literals included, from its first octet (then "* BYE" and close), so
    /// a client trickling a byte at a time cannot hold a session. Bounds APPEND too: 25 MB in 600 s needs about 42 KB/s.
    /// </summary>
    public int CommandTimeoutSeconds { get; set; } = 600;

    /// <summary>Milliseconds between polls of the mailbox during IDLE, where the mailbox event stream cannot be subscribed to.</summary>
    public int IdlePollMilliseconds { get; set; } = 300;

    /// <summary>
    /// Octets of whole messages one session keeps between the commands that read them again (least recently used out
    /// first); a larger message is served without being kept. 0 keeps none.
    /// </summary>
    public long MessageCacheBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Updating searches (SEARCH/SORT RETURN (UPDATE), RFC 5267 §4) one session may keep; each runs again after every
    /// change of the selected mailbox. Past it a search is answered with NO [NOUPDATE "tag"] and not kept current.
    /// </summary>
    public int MaxSearchUpdates { get; set; } = 10;

    /// <summary>Mailbox names one NOTIFY SET may list (RFC 5465 §3.1); more are refused with NO [NOTIFICATIONOVERFLOW].</summary>
    public int NotifyMaxMailboxNames { get; set; } = 100;

    /// <summary>
    /// Changes one NOTIFY report may cover; a burst beyond it (or a change log pruned past the session's position) ends
    /// notification with NOTIFICATIONOVERFLOW (RFC 5465 §5.8), and the client resynchronizes instead.
    /// </summary>
    public int NotifyMaxChanges { get; set; } = 10_000;

    /// <summary>Allow LOGIN and AUTHENTICATE without TLS (loopback development only).</summary>
    public bool AllowPlaintextAuth { get; set; }
}
