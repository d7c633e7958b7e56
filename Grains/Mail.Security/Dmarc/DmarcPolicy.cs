namespace Mail.Security.Dmarc;

/// <summary>The p= and sp= values (RFC 7489 §6.3).</summary>
public enum DmarcPolicy
{
    /// <summary>Monitor only.</summary>
    None,
    /// <summary>Treat failing mail as suspicious (here: file it in Junk).</summary>
    Quarantine,
    /// <summary>Refuse failing mail (here: 550 5.7.1 at the end of DATA, or Junk by configuration).</summary>
    Reject,
}
