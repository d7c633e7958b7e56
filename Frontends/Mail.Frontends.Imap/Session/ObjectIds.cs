namespace Mail.Frontends.Imap.Session;

/// <summary>
/// OBJECTID (RFC 8474) ids: MAILBOXID from the folder id and its UIDVALIDITY, both kept by RENAME (§4.3) and never given to
/// another folder of the mailbox (folder ids are not reused; UIDVALIDITY includes the mailbox's creation time); EMAILID and
/// THREADID from the grain's message and thread ids. All are objectid atoms: letters, digits, "-" and "_" (§3).
/// </summary>
public static class ObjectIds
{
    /// <summary>The MAILBOXID of a folder (RFC 8474 §4).</summary>
    public static string MailboxId(int folderId, long uidValidity) => $"F{folderId}-{uidValidity}";
}
