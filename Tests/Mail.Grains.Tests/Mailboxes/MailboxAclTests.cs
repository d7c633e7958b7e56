using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>Folder access control lists (RFC 4314) kept by the owner's mailbox grain: rights worked out, tenants kept apart, rows with their folder.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class MailboxAclTests(MailClusterFixture fixture)
{
    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task RightsCombineOwnAnyoneAndNegativeEntriesWithinTheTenantOnly()
    {
        var owner = await TestMailbox.CreateAsync(fixture.Grains);
        var bob = await TestMailbox.CreateAsync(fixture.Grains, owner.Tenant, "bob");
        var dave = await TestMailbox.CreateAsync(fixture.Grains, owner.Tenant, "dave");
        var carol = await TestMailbox.CreateAsync(fixture.Grains);
        await owner.Grain.CreateFolderAsync("Team");

        Assert.Equal("lrs", await owner.Grain.ChangeAclAsync("Team", bob.Account.Address, AclEdit.Replace, "lrs"));
        Assert.Equal("lr", await owner.Grain.ChangeAclAsync("Team", "anyone", AclEdit.Add, "rl"));
        Assert.Equal("r", await owner.Grain.ChangeAclAsync("Team", "-" + dave.Account.Address, AclEdit.Replace, "r"));
        await TestMailbox.RefusedAsync(MailErrorCode.Invalid, () => owner.Grain.ChangeAclAsync("Team", carol.Account.Address, AclEdit.Replace, "lr"));
        await TestMailbox.RefusedAsync(MailErrorCode.Forbidden, () => owner.Grain.ChangeAclAsync("Team", owner.Account.Address, AclEdit.Remove, "a"));

        var tenant = owner.Tenant.TenantId;
        Assert.Equal(AclRights.All, await owner.Grain.GetRightsAsync("Team", tenant, owner.AccountId));
        Assert.Equal("lrs", await owner.Grain.GetRightsAsync("Team", tenant, bob.AccountId));
        Assert.Equal("l", await owner.Grain.GetRightsAsync("Team", tenant, dave.AccountId));
        // "anyone" is every account of the owner's tenant, never one of another.
        Assert.Equal("", await owner.Grain.GetRightsAsync("Team", carol.Tenant.TenantId, carol.AccountId));
        Assert.Equal("", await owner.Grain.GetRightsAsync("INBOX", tenant, bob.AccountId));

        var shared = Assert.Single(await bob.Grain.ListSharedFoldersAsync());
        Assert.Equal((owner.AccountId, owner.Account.Address, "Team", "lrs"), (shared.OwnerAccountId, shared.OwnerAddress, shared.Folder, shared.Rights));
        Assert.Equal("l", Assert.Single(await dave.Grain.ListSharedFoldersAsync()).Rights);
        Assert.Empty(await carol.Grain.ListSharedFoldersAsync());
        Assert.Empty(await owner.Grain.ListSharedFoldersAsync());
    }

    [Fact]
    public async Task EntriesAreRowsThatGoWithTheirFolderAndPassToFoldersCreatedBelow()
    {
        var owner = await TestMailbox.CreateAsync(fixture.Grains);
        var bob = await TestMailbox.CreateAsync(fixture.Grains, owner.Tenant, "bob");
        await owner.Grain.CreateFolderAsync("Team");
        await owner.Grain.ChangeAclAsync("Team", bob.Account.Address, AclEdit.Replace, "lrk");
        await owner.Grain.CreateFolderAsync("Team/Sub/Deeper");

        Assert.Equal(3, await _rows.ScalarAsync<long>("SELECT count(*) FROM mailbox_acl WHERE account_id = @a", ("a", owner.AccountId)));
        Assert.Equal("lrk", await owner.Grain.GetRightsAsync("Team/Sub/Deeper", owner.Tenant.TenantId, bob.AccountId));
        Assert.Equal([new AclEntry(bob.Account.Address, "lrk")], await owner.Grain.GetAclAsync("Team/Sub"));

        Assert.Equal("", await owner.Grain.ChangeAclAsync("Team/Sub", bob.Account.Address, AclEdit.Remove, "lrk"));
        Assert.Empty(await owner.Grain.GetAclAsync("Team/Sub"));
        await owner.Grain.DeleteFolderAsync("Team/Sub/Deeper");
        await owner.Grain.DeleteFolderAsync("Team/Sub");
        await owner.Grain.DeleteFolderAsync("Team");
        Assert.Equal(0, await _rows.ScalarAsync<long>("SELECT count(*) FROM mailbox_acl WHERE account_id = @a", ("a", owner.AccountId)));
    }
}
