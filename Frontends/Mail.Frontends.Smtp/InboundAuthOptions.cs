namespace Mail.Frontends.Smtp;

/// <summary>Settings of sender authentication on the MX, bound from "Mail:Smtp:InboundAuth" (SPF, DKIM, DMARC, ARC; RFC 8601 results).</summary>
public sealed class InboundAuthOptions
{
    /// <summary>Whether the MX checks senders and writes Authentication-Results.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Budget of each DNS lookup; an expired one is a temperror.</summary>
    public int DnsTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// How long a failed answer (NXDOMAIN, SERVFAIL) is kept before it is asked again (RFC 2308 §5, §7.1); 0 asks every time.
    /// Positive answers are kept for their TTL.
    /// </summary>
    public int NegativeCacheSeconds { get; set; } = 30;

    /// <summary>Resolvers as ip[:port]; empty means those of the outbound MTA ("Mail:Outbound:DnsServers"), else the system's.</summary>
    public List<string> DnsServers { get; set; } = [];

    /// <summary>
    /// Budget of all checks of one message; past it the client gets 451 and retries. RFC 5321 §4.5.3.2.6 has clients wait
    /// 10 minutes for the reply to the end of DATA, so this stays well inside it.
    /// </summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>What a DMARC p=reject failure gets for tenants without their own choice (PATCH /v1/admin/tenants/{id}): 550 5.7.1 at the end of DATA, or filing in Junk.</summary>
    public DmarcRejectAction DmarcRejectAction { get; set; } = DmarcRejectAction.Reject;

    /// <summary>
    /// Bytes of a message held in memory per transaction while it is checked; a longer message streams into a staging
    /// blob that is copied under the results field (one extra write, only for mail this large).
    /// </summary>
    public int HoldBytes { get; set; } = 256 * 1024;
}
