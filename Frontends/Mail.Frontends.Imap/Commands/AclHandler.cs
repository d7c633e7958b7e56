using System.Text;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// The ACL commands (RFC 4314 §3): MYRIGHTS for any folder the session has a right on; GETACL, LISTRIGHTS, SETACL and
/// DELETEACL with the administer right ("a", always the owner's). Changes go to the owner's mailbox grain, which checks
/// that an identifier is an account of the same tenant or "anyone". Rights are written with the obsolete "c" and "d"
/// after the rights they stand for (§2.1.1), as RFC 2086 clients expect.
/// </summary>
public sealed class AclHandler : IImapCommandHandler
{
    /// <summary>What LISTRIGHTS offers an identifier other than the owner: no right is required, each can be granted alone.</summary>
    private const string Grantable = "\"\" l r s w i p k x t e a c d";

    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["GETACL", "MYRIGHTS", "LISTRIGHTS", "SETACL", "DELETEACL"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var acl = (AclCommand)command;
        if (acl.Identifier is "") return ImapResult.Bad("Empty identifier");
        var edit = AclEdit.Replace;
        var rights = acl.Rights ?? "";
        if (acl.Name == "SETACL")
        {
            if (rights.StartsWith('+') || rights.StartsWith('-'))
            {
                edit = rights[0] == '+' ? AclEdit.Add : AclEdit.Remove;
                rights = rights[1..];
            }
            // RFC 4314 §3.1: a right the server does not know makes the arguments invalid.
            if (!AclRights.TryParse(rights, out _)) return ImapResult.Bad($"Unknown right in \"{acl.Rights}\"");
        }
        var name = session.DecodeMailbox(acl.Mailbox);
        var target = await session.ResolveAsync(name);
        var account = session.Account!;
        try
        {
            // A name of the session's own mailbox resolves without a grain call: this one tells whether the folder exists.
            if (target is { Shared: false }) await target.Grain.GetRightsAsync(target.Folder, account.TenantId, account.AccountId);
        }
        catch (MailException e) when (e.Code == MailErrorCode.NotFound)
        {
            target = null;
        }
        if (target is null) return ImapResult.No($"Mailbox {name} does not exist", "NONEXISTENT");
        if (acl.Name == "MYRIGHTS")
        {
            session.Writer().Raw("* MYRIGHTS").Item().AString(acl.Mailbox).Item().AString(Wire(target.Rights)).Crlf();
            return ImapResult.Ok("MYRIGHTS completed");
        }
        // RFC 4314 §4: reading or changing the list takes "a".
        if (!target.Has('a')) return ImapResult.No($"No right to administer {name}", "NOPERM");
        try
        {
            switch (acl.Name)
            {
                case "GETACL":
                {
                    var entries = await target.Grain.GetAclAsync(target.Folder);
                    var w = session.Writer().Raw("* ACL").Item().AString(acl.Mailbox);
                    // The owner is not stored: it always has every right.
                    w.Item().AString(target.OwnerAddress ?? account.Address).Item().AString(Wire(AclRights.All));
                    foreach (var entry in entries) w.Item().AString(entry.Identifier).Item().AString(Wire(entry.Rights));
                    w.Crlf();
                    return ImapResult.Ok("GETACL completed");
                }
                case "LISTRIGHTS":
                {
                    var isOwner = await IsOwnerAsync(session, target, acl.Identifier!);
                    if (isOwner is null) return ImapResult.No($"{acl.Identifier} is not an account of this tenant", "CANNOT");
                    var w = session.Writer().Raw("* LISTRIGHTS").Item().AString(acl.Mailbox).Item().AString(acl.Identifier!);
                    // The owner's rights are all required: none can be taken (RFC 4314 §3.7).
                    w.Raw(" ").Raw(isOwner.Value ? Wire(AclRights.All) : Grantable).Crlf();
                    return ImapResult.Ok("LISTRIGHTS completed");
                }
                default:
                    await target.Grain.ChangeAclAsync(target.Folder, acl.Identifier!, edit, rights);
                    return ImapResult.Ok(acl.Name + " completed");
            }
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
    }

    /// <summary>Rights as RFC 4314 §2.1.1 has them written: "c" after "k" or "x", "d" after "t" or "e".</summary>
    public static string Wire(string rights)
    {
        var builder = new StringBuilder(rights);
        if (rights.Contains('k') || rights.Contains('x')) builder.Append('c');
        if (rights.Contains('t') || rights.Contains('e')) builder.Append('d');
        return builder.ToString();
    }

    /// <summary>Whether an identifier is the folder's owner; null when it is neither "anyone" nor an account of the session's tenant.</summary>
    private static async Task<bool?> IsOwnerAsync(ImapSession session, MailboxTarget target, string identifier)
    {
        var name = identifier.StartsWith('-') ? identifier[1..] : identifier;
        if (name.Equals(AclRights.Anyone, StringComparison.OrdinalIgnoreCase)) return false;
        if (AddressKey.Normalize(name) is not { } address) return null;
        var route = await session.Grains.GetGrain<IAddressGrain>(address).ResolveAsync();
        if (route is null || route.TenantId != session.Account!.TenantId) return null;
        return route.AccountId == target.Grain.GetPrimaryKeyString();
    }
}
