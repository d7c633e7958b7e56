namespace Mail.Frontends.Imap.Protocol;

/// <summary>What <see cref="CommandFramer.Read"/> found in the input.</summary>
public enum FrameStatus
{
    /// <summary>The command is not complete yet: read more.</summary>
    Incomplete,
    /// <summary>A whole command (lines and literals) is in <see cref="CommandFramer.Command"/>.</summary>
    Complete,
    /// <summary>A synchronizing literal was accepted: send "+" and read on (RFC 9051 §7.5).</summary>
    Continue,
    /// <summary>The command was refused (too long, literal too large); reply with <see cref="CommandFramer.Error"/>.</summary>
    Rejected,
    /// <summary>A non-synchronizing literal larger than can even be skipped: close the connection.</summary>
    Fatal,
    /// <summary>
    /// A literal the caller streams itself (<see cref="CommandFramer.StreamLiteral"/>): send "+" if it is synchronizing,
    /// consume exactly <see cref="CommandFramer.PendingLiteral"/> octets, then read on. The command holds "{0}" in its place.
    /// </summary>
    Literal,
}
