namespace Mail.Frontends.Imap.Protocol;

/// <summary>A parsed command (RFC 9051 §6): its tag, its name in upper case, and whether it came as "UID name".</summary>
public abstract record ImapCommand(string Tag, string Name)
{
    /// <summary>Whether the command is the UID form (RFC 9051 §6.4.9): sets and results are UIDs.</summary>
    public bool Uid { get; init; }
}
