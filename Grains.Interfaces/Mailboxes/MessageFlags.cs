namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>The IMAP system flags (RFC 9051 §2.3.2).</summary>
public static class MessageFlags
{
    /// <summary>Message has been read.</summary>
    public const string Seen = "\\Seen";
    /// <summary>Message has been answered.</summary>
    public const string Answered = "\\Answered";
    /// <summary>Message is flagged for attention.</summary>
    public const string Flagged = "\\Flagged";
    /// <summary>Message is marked for removal.</summary>
    public const string Deleted = "\\Deleted";
    /// <summary>Message is a draft.</summary>
    public const string Draft = "\\Draft";
}
