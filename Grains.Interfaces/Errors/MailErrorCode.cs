namespace Mail.Grains.Interfaces.Errors;

/// <summary>Typed reasons a grain refuses an operation; frontends map them to protocol replies.</summary>
public enum MailErrorCode
{
    /// <summary>The thing named does not exist (account, folder, message, domain).</summary>
    NotFound = 1,
    /// <summary>The thing already exists (address, domain, folder).</summary>
    AlreadyExists = 2,
    /// <summary>The mailbox would exceed its quota.</summary>
    QuotaExceeded = 3,
    /// <summary>The input is malformed or violates a rule (bad folder name, bad address).</summary>
    Invalid = 4,
    /// <summary>The account or tenant is suspended.</summary>
    Suspended = 5,
    /// <summary>The operation is not allowed on this object (deleting INBOX, a special folder).</summary>
    Forbidden = 6,
    /// <summary>Another activation of this mailbox took over; this one was fenced off and wrote nothing.</summary>
    Fenced = 7,
    /// <summary>
    /// The change history asked for was pruned (it is older than the retention horizon): no delta can be given, the
    /// caller must resynchronize in full (RFC 7162 §3.2.5.2 for IMAP, 410 Gone for the API).
    /// </summary>
    HistoryPruned = 8,
}
