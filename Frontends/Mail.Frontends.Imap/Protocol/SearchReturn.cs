namespace Mail.Frontends.Imap.Protocol;

/// <summary>ESEARCH result options (RFC 4731, RFC 9051 §6.4.4).</summary>
[Flags]
public enum SearchReturn
{
    /// <summary>No RETURN: the IMAP4rev1 SEARCH response (or ALL in IMAP4rev2).</summary>
    None = 0,
    /// <summary>MIN.</summary>
    Min = 1,
    /// <summary>MAX.</summary>
    Max = 2,
    /// <summary>ALL.</summary>
    All = 4,
    /// <summary>COUNT.</summary>
    Count = 8,
    /// <summary>SAVE (RFC 5182 §2.1): keep the result for "$"; alone, no ESEARCH response.</summary>
    Save = 16,
    /// <summary>PARTIAL low:high (RFC 5267 §4.4): the matches at those positions of the result.</summary>
    Partial = 32,
    /// <summary>UPDATE (RFC 5267 §4.3): keep the result current with unsolicited ESEARCH ADDTO/REMOVEFROM until CANCELUPDATE.</summary>
    Update = 64,
}
