namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>The folders every mailbox has, with their RFC 6154 special-use attributes.</summary>
public static class SpecialFolders
{
    /// <summary>The inbox (RFC 9051 §5.1: the name is case-insensitive).</summary>
    public const string Inbox = "INBOX";
    /// <summary>Copies of sent mail.</summary>
    public const string Sent = "Sent";
    /// <summary>Unsent drafts.</summary>
    public const string Drafts = "Drafts";
    /// <summary>Deleted mail, expunged from here.</summary>
    public const string Trash = "Trash";
    /// <summary>Spam.</summary>
    public const string Junk = "Junk";
    /// <summary>Archived mail.</summary>
    public const string Archive = "Archive";

    /// <summary>
    /// The special-use attributes a new folder may be created with (RFC 6154 §3): those of real folders. \All and \Flagged
    /// name virtual views this server does not keep as folders.
    /// </summary>
    public static readonly IReadOnlyList<string> Creatable = ["\\Archive", "\\Drafts", "\\Junk", "\\Sent", "\\Trash"];

    /// <summary>Hierarchy delimiter of folder names.</summary>
    public const char Delimiter = '/';

    /// <summary>Name and special-use attribute of each folder created with a mailbox, in order.</summary>
    public static readonly IReadOnlyList<(string Name, string? SpecialUse)> All =
    [
        (Inbox, null),
        (Sent, "\\Sent"),
        (Drafts, "\\Drafts"),
        (Trash, "\\Trash"),
        (Junk, "\\Junk"),
        (Archive, "\\Archive"),
    ];
}
