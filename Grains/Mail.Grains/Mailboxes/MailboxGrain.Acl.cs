using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Orleans.Concurrency;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// The access control lists of the mailbox's folders (RFC 4314): this grain is their single writer, as it is of the
/// folders, and the one place rights are worked out. Identifiers are accounts of the mailbox's own tenant or "anyone"
/// (every account of the tenant): nothing is ever granted across tenants.
/// </summary>
public sealed partial class MailboxGrain
{
    // Loaded on first use: most mailboxes share nothing, and most calls never ask.
    private Dictionary<int, List<AclRow>>? _acl;

    /// <inheritdoc />
    [ReadOnly]
    public async Task<IReadOnlyList<AclEntry>> GetAclAsync(string folder)
    {
        RequireHead();
        var f = FindFolder(folder);
        var acl = await AclAsync();
        return acl.TryGetValue(f.FolderId, out var rows) ? rows.Select(r => new AclEntry(r.Identifier, r.Rights)).ToList() : [];
    }

    /// <inheritdoc />
    public async Task<string> ChangeAclAsync(string folder, string identifier, AclEdit edit, string rights)
    {
        var head = RequireHead();
        var f = FindFolder(folder);
        if (!AclRights.TryParse(rights, out var given)) throw new MailException(MailErrorCode.Invalid, $"Unknown right in \"{rights}\".");
        var negative = identifier.StartsWith('-');
        var name = negative ? identifier[1..] : identifier;
        string key, grantee;
        if (string.Equals(name, AclRights.Anyone, StringComparison.OrdinalIgnoreCase))
        {
            key = grantee = AclRights.Anyone;
        }
        else
        {
            var address = AddressKey.Normalize(name) ?? throw new MailException(MailErrorCode.Invalid, $"{name} is not an address.");
            var route = await GrainFactory.GetGrain<IAddressGrain>(address).ResolveAsync();
            if (route is null || route.TenantId != head.TenantId)
            {
                throw new MailException(MailErrorCode.Invalid, $"{name} is not an account of this tenant.");
            }
            if (route.AccountId == AccountId)
            {
                // The owner always has every right (lookup and administer included), so granting is a no-op and nothing can be taken.
                if (edit == AclEdit.Add && !negative) return AclRights.All;
                throw new MailException(MailErrorCode.Forbidden, "The owner's rights cannot be changed: the owner always has every right.");
            }
            key = address;
            grantee = route.AccountId;
        }
        if (negative) key = "-" + key;

        var acl = await AclAsync();
        var rows = acl.TryGetValue(f.FolderId, out var list) ? list : [];
        var current = rows.FirstOrDefault(r => r.Identifier == key)?.Rights ?? "";
        var next = edit switch
        {
            AclEdit.Add => AclRights.Union(current, given),
            AclEdit.Remove => AclRights.Except(current, given),
            _ => given,
        };
        if (next == current) return next;
        var write = NewWrite();
        if (next.Length == 0)
        {
            write.Add("DELETE FROM mailbox_acl WHERE account_id = @a AND folder_id = @f AND identifier = @i", ("f", f.FolderId), ("i", key));
        }
        else
        {
            write.Add(
                """
                INSERT INTO mailbox_acl (account_id, folder_id, identifier, tenant_id, grantee, rights) VALUES (@a, @f, @i, @t, @g, @r)
                ON CONFLICT (account_id, folder_id, identifier) DO UPDATE SET grantee = excluded.grantee, rights = excluded.rights
                """, ("f", f.FolderId), ("i", key), ("t", head.TenantId), ("g", grantee), ("r", next));
        }
        await CommitAsync(write);
        rows = rows.Where(r => r.Identifier != key).ToList();
        if (next.Length > 0) rows.Add(new AclRow(key, grantee, next));
        acl[f.FolderId] = rows;
        return next;
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<string> GetRightsAsync(string folder, string tenantId, string accountId)
    {
        var head = RequireHead();
        var f = FindFolder(folder);
        if (accountId == AccountId) return AclRights.All;
        if (tenantId != head.TenantId) return "";
        var acl = await AclAsync();
        if (!acl.TryGetValue(f.FolderId, out var rows)) return "";
        return AclRow.Effective(rows.Where(r => r.Grantee == accountId || r.Grantee == AclRights.Anyone));
    }

    /// <inheritdoc />
    [ReadOnly]
    public Task<IReadOnlyList<SharedFolder>> ListSharedFoldersAsync() => acls.ListSharedAsync(RequireHead().TenantId, AccountId);

    private async Task<Dictionary<int, List<AclRow>>> AclAsync() => _acl ??= await acls.LoadAsync(AccountId);

    /// <summary>
    /// Gives folders being created (parents first) the entries of the folder above them, in the same write, as Dovecot
    /// does: a grantee who may create below a shared folder (RFC 4314 "k") then sees and uses what it created.
    /// </summary>
    private async Task<Dictionary<int, List<AclRow>>> InheritAclAsync(MailboxWrite write, IReadOnlyList<FolderHead> created)
    {
        var inherited = new Dictionary<int, List<AclRow>>();
        if (created.Count == 0) return inherited;
        var parentName = FolderName.Parents(created[0].Name).LastOrDefault();
        if (parentName is null || TryFindFolder(parentName) is not { } parent) return inherited;
        var acl = await AclAsync();
        if (!acl.TryGetValue(parent.FolderId, out var rows) || rows.Count == 0) return inherited;
        foreach (var folder in created)
        {
            inherited[folder.FolderId] = rows.ToList();
            write.Add(
                """
                INSERT INTO mailbox_acl (account_id, folder_id, identifier, tenant_id, grantee, rights)
                SELECT account_id, @f, identifier, tenant_id, grantee, rights FROM mailbox_acl WHERE account_id = @a AND folder_id = @p
                """, ("f", folder.FolderId), ("p", parent.FolderId));
        }
        return inherited;
    }

    /// <summary>Makes inherited entries of a committed create the grain's.</summary>
    private void ApplyInheritedAcl(Dictionary<int, List<AclRow>> inherited)
    {
        if (_acl is null) return;
        foreach (var (folderId, rows) in inherited) _acl[folderId] = rows;
    }
}
