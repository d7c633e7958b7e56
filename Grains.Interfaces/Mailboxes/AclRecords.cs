namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>One entry of a folder's access control list (RFC 4314 §2): an identifier ("-" first for negative rights) and its rights.</summary>
[GenerateSerializer, Immutable, Alias("mail.AclEntry")]
public sealed record AclEntry(
    [property: Id(0)] string Identifier,
    [property: Id(1)] string Rights);

/// <summary>How SETACL changes an identifier's rights (RFC 4314 §3.1): replace them, add to them ("+"), or take from them ("-").</summary>
public enum AclEdit
{
    /// <summary>The rights become the given ones; none removes the entry.</summary>
    Replace = 0,
    /// <summary>The given rights are added.</summary>
    Add = 1,
    /// <summary>The given rights are removed.</summary>
    Remove = 2,
}

/// <summary>A folder of another account of the tenant that an account may look up (the IMAP "Other Users" namespace).</summary>
[GenerateSerializer, Immutable, Alias("mail.SharedFolder")]
public sealed record SharedFolder(
    [property: Id(0)] string OwnerAccountId,
    [property: Id(1)] string OwnerAddress,
    [property: Id(2)] string Folder,
    [property: Id(3)] string Rights);
