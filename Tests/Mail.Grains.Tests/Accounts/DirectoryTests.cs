using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Accounts;

/// <summary>The operator listings of domains and accounts.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class DirectoryTests(MailClusterFixture fixture)
{
    private IDirectoryGrain Directory => fixture.Grains.GetGrain<IDirectoryGrain>(0);

    [Fact]
    public async Task ListsTheDomainWithItsTenant()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var second = TestTenant.FreshDomain();
        await tenant.Grain.AddDomainAsync(second);

        var domains = await Directory.ListDomainsAsync();

        var ours = domains.Where(d => d.TenantId == tenant.TenantId).ToList();
        Assert.Equal(new[] { tenant.Domain, second }.Order(StringComparer.Ordinal), ours.Select(d => d.Domain));
        Assert.Equal(domains.Select(d => d.Domain).Order(StringComparer.Ordinal), domains.Select(d => d.Domain));
        var info = await fixture.Grains.GetGrain<IDomainGrain>(second).GetAsync();
        Assert.Equal(info!.CreatedAt, ours.Single(d => d.Domain == second).CreatedAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task ListsAccountsOfADomainByAddressInPagesWithTheRightTotal()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = new List<AccountInfo>();
        foreach (var name in new[] { "carol", "alice", "erin", "bob", "dave" }) created.Add(await tenant.CreateAccountAsync(name));
        var other = await TestTenant.CreateAsync(fixture.Grains);
        await other.CreateAccountAsync("zed");
        var expected = created.Select(a => a.Address).Order(StringComparer.Ordinal).ToArray();

        var first = await Directory.ListAccountsAsync(tenant.Domain, 0, 2);
        var second = await Directory.ListAccountsAsync(tenant.Domain, 2, 2);
        var last = await Directory.ListAccountsAsync(tenant.Domain, 4, 2);
        var past = await Directory.ListAccountsAsync(tenant.Domain, 10, 2);

        Assert.Equal([5L, 5L, 5L, 5L], new[] { first.Total, second.Total, last.Total, past.Total });
        Assert.Equal(expected[..2], first.Items.Select(a => a.Address));
        Assert.Equal(expected[2..4], second.Items.Select(a => a.Address));
        Assert.Equal(expected[4..], last.Items.Select(a => a.Address));
        Assert.Empty(past.Items);
        var alice = first.Items[0];
        var aliceCreated = created.Single(a => a.Address == alice.Address);
        Assert.Equal((aliceCreated.AccountId, tenant.TenantId, aliceCreated.QuotaBytes, false),
            (alice.AccountId, alice.TenantId, alice.QuotaBytes, alice.Suspended));

        var all = await Directory.ListAccountsAsync(null, 0, 1000);
        Assert.True(all.Total >= 6, $"all domains should total at least our 6 accounts, got {all.Total}");
        Assert.Contains(all.Items, a => a.Address == other.Address("zed"));
        Assert.Equal(all.Items.Select(a => a.Address).Order(StringComparer.Ordinal), all.Items.Select(a => a.Address));
    }

    [Fact]
    public async Task UnknownDomainListsNothing()
    {
        var page = await Directory.ListAccountsAsync(TestTenant.FreshDomain(), 0, 10);

        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
    }
}
