namespace Mail.Frontends.Imap.Session;

/// <summary>How much of a message a command needs, least first: each level serves every lower one.</summary>
public enum ContentNeed
{
    /// <summary>Only the listing header fields (Mail.Mime.HeaderCache): served from the row's header cache when it has one.</summary>
    CachedFields = 0,

    /// <summary>The whole header section, read from the blob up to the empty line.</summary>
    Header = 1,

    /// <summary>Every octet of the message.</summary>
    Message = 2,
}
