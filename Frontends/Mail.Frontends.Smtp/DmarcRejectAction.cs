namespace Mail.Frontends.Smtp;

/// <summary>How the MX honours a DMARC "reject" (RFC 7489 §6.6.4 leaves the receiver's action to local policy).</summary>
public enum DmarcRejectAction
{
    /// <summary>Refuse with 550 5.7.1 at the end of DATA.</summary>
    Reject,
    /// <summary>Accept and file in Junk.</summary>
    Quarantine,
}
