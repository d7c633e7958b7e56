using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Session;

/// <summary>Which ACL right changing a flag takes (RFC 4314 §4): "s" for \Seen, "t" for \Deleted, "w" for the others and keywords.</summary>
public static class FlagRights
{
    /// <summary>The right that <paramref name="flag"/> needs.</summary>
    public static char RightOf(string flag) =>
        flag.Equals(MessageFlags.Seen, StringComparison.OrdinalIgnoreCase) ? 's'
        : flag.Equals(MessageFlags.Deleted, StringComparison.OrdinalIgnoreCase) ? 't'
        : 'w';

    /// <summary>The flags of <paramref name="flags"/> the session's rights let it set on <paramref name="target"/>.</summary>
    public static IReadOnlyList<string> Permitted(MailboxTarget target, IEnumerable<string> flags) =>
        flags.Where(flag => target.Has(RightOf(flag))).ToList();
}
