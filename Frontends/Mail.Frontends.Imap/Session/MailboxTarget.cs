using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// A mailbox name a command names, resolved: the mailbox grain that owns the folder (the session's own, or another
/// account's for a name in the "Other Users" namespace), the folder's name there, and the session's rights on it
/// (RFC 4314 §2: every right on its own folders).
/// </summary>
/// <param name="Grain">The owner's mailbox grain.</param>
/// <param name="Folder">The folder name in the owner's mailbox.</param>
/// <param name="OwnerAddress">The owner's address for a shared folder; null for the session's own.</param>
/// <param name="Rights">The session's rights (<see cref="AclRights"/>).</param>
public sealed record MailboxTarget(IMailboxGrain Grain, string Folder, string? OwnerAddress, string Rights)
{
    /// <summary>Whether the folder is another account's.</summary>
    public bool Shared => OwnerAddress is not null;

    /// <summary>Whether the session holds <paramref name="right"/> on the folder.</summary>
    public bool Has(char right) => AclRights.Has(Rights, right);

    /// <summary>The name the client uses for a folder of this owner (its own name in the personal namespace).</summary>
    public string ClientName(string folder) => OwnerAddress is { } owner ? OtherUsersNamespace.Format(owner, folder) : folder;
}
