using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Infrastructure;
using Mail.Grains.Tests.Mailboxes;

namespace Mail.Grains.Tests.Accounts;

/// <summary>Creating accounts and domains (and what is refused), aliases, and deleting an account.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class AccountLifecycleTests(MailClusterFixture fixture)
{
    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task CreateAccountClaimsTheAddressProvisionsTheMailboxAndListsIt()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);

        var created = await tenant.Grain.CreateAccountAsync(new NewAccount($"  Alice@{tenant.Domain.ToUpperInvariant()} ", TestTenant.Password, 9_000));

        Assert.Equal(tenant.Address("alice"), created.Address);
        Assert.Equal((tenant.TenantId, 9_000L, false), (created.TenantId, created.QuotaBytes, created.Suspended));
        Assert.Empty(created.Aliases);
        Assert.Equal(32, created.AccountId.Length);
        Assert.Equal(new AddressRoute(created.AccountId, tenant.TenantId), await fixture.Grains.GetGrain<IAddressGrain>(created.Address).ResolveAsync());
        Assert.Equivalent(created, await fixture.Grains.GetGrain<IAccountGrain>(created.AccountId).GetAsync(), strict: true);
        Assert.Equal(9_000, (await fixture.Grains.GetGrain<IMailboxGrain>(created.AccountId).GetQuotaAsync()).LimitBytes);
        Assert.Equal(6, await _rows.CountAsync("mailbox_folders", created.AccountId));
        var listed = Assert.Single((await fixture.Grains.GetGrain<IDirectoryGrain>(0).ListAccountsAsync(tenant.Domain, 0, 10)).Items);
        Assert.Equal((created.AccountId, created.Address, tenant.TenantId), (listed.AccountId, listed.Address, listed.TenantId));
    }

    [Fact]
    public async Task DefaultQuotaAppliesWhenNoneIsGiven()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);

        var created = await tenant.CreateAccountAsync("alice");

        Assert.Equal(500L * 1000 * 1000, created.QuotaBytes);
        Assert.Equal(created.QuotaBytes, (await fixture.Grains.GetGrain<IMailboxGrain>(created.AccountId).GetQuotaAsync()).LimitBytes);
    }

    [Fact]
    public async Task DuplicateAddressIsAlreadyExistsAndLeavesTheFirstAccountAlone()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var first = await tenant.CreateAccountAsync("alice");

        await AssertRefusedAsync(MailErrorCode.AlreadyExists, () => tenant.CreateAccountAsync("alice", password: "another-password"));
        await AssertRefusedAsync(MailErrorCode.AlreadyExists, () => tenant.CreateAccountAsync("ALICE"));

        Assert.Equal(first.AccountId, (await fixture.Grains.GetGrain<IAddressGrain>(first.Address).ResolveAsync())?.AccountId);
        Assert.Equal(1, (await fixture.Grains.GetGrain<IDirectoryGrain>(0).ListAccountsAsync(tenant.Domain, 0, 10)).Total);
        Assert.NotNull(await fixture.Grains.GetGrain<IAccountGrain>(first.AccountId).AuthenticateAsync(TestTenant.Password));
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("@nolocal.test")]
    [InlineData("two words@x.test")]
    [InlineData("")]
    public async Task MalformedAddressIsInvalid(string address)
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);

        await AssertRefusedAsync(MailErrorCode.Invalid, () => tenant.Grain.CreateAccountAsync(new NewAccount(address, TestTenant.Password, null)));
    }

    [Fact]
    public async Task AddressOnADomainTheTenantDoesNotHostIsInvalid()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var other = await TestTenant.CreateAsync(fixture.Grains);

        await AssertRefusedAsync(MailErrorCode.Invalid, () => tenant.Grain.CreateAccountAsync(new NewAccount($"bob@{TestTenant.FreshDomain()}", TestTenant.Password, null)));
        await AssertRefusedAsync(MailErrorCode.Invalid, () => tenant.Grain.CreateAccountAsync(new NewAccount(other.Address("bob"), TestTenant.Password, null)));

        Assert.Null(await fixture.Grains.GetGrain<IAddressGrain>(other.Address("bob")).ResolveAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("7chars!")]
    public async Task ShortPasswordIsInvalidAndClaimsNothing(string password)
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);

        await AssertRefusedAsync(MailErrorCode.Invalid, () => tenant.CreateAccountAsync("alice", password: password));

        Assert.Null(await fixture.Grains.GetGrain<IAddressGrain>(tenant.Address("alice")).ResolveAsync());
        Assert.NotNull(await tenant.CreateAccountAsync("alice"));
    }

    [Fact]
    public async Task OverlongPasswordAndNonPositiveQuotaAreInvalid()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);

        await AssertRefusedAsync(MailErrorCode.Invalid, () => tenant.CreateAccountAsync("alice", password: new string('p', 257)));
        await AssertRefusedAsync(MailErrorCode.Invalid, () => tenant.CreateAccountAsync("alice", quotaBytes: 0));
        await AssertRefusedAsync(MailErrorCode.Invalid, () => tenant.CreateAccountAsync("alice", quotaBytes: -1));

        Assert.Null(await fixture.Grains.GetGrain<IAddressGrain>(tenant.Address("alice")).ResolveAsync());
    }

    [Fact]
    public async Task DomainHostedByAnotherTenantIsAlreadyExists()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        var intruder = fixture.Grains.GetGrain<ITenantGrain>($"t-{Guid.NewGuid():N}");

        await AssertRefusedAsync(MailErrorCode.AlreadyExists, () => intruder.AddDomainAsync(owner.Domain));
        await AssertRefusedAsync(MailErrorCode.AlreadyExists, () => intruder.AddDomainAsync(owner.Domain.ToUpperInvariant() + "."));

        Assert.Empty((await intruder.GetAsync()).Domains);
        Assert.Equal(owner.TenantId, (await fixture.Grains.GetGrain<IDomainGrain>(owner.Domain).GetAsync())?.TenantId);
        // The owner adding it again is harmless.
        Assert.Equal(owner.TenantId, (await owner.Grain.AddDomainAsync(owner.Domain)).TenantId);
        Assert.Equal([owner.Domain], (await owner.Grain.GetAsync()).Domains);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a domain")]
    [InlineData("-bad.test")]
    [InlineData("under_score.test")]
    [InlineData("a..b")]
    public async Task MalformedDomainIsInvalid(string domain)
    {
        var tenant = fixture.Grains.GetGrain<ITenantGrain>($"t-{Guid.NewGuid():N}");

        await AssertRefusedAsync(MailErrorCode.Invalid, () => tenant.AddDomainAsync(domain));

        Assert.Empty((await tenant.GetAsync()).Domains);
    }

    [Fact]
    public async Task ConcurrentCreationsInterleaveYetKeepAddressesUniqueAndNeverOutliveTheirDomain()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        // Twelve creations of one address at once (they interleave in the tenant grain): exactly one wins the claim.
        var same = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            try
            {
                return (await tenant.CreateAccountAsync("dup")).AccountId;
            }
            catch (MailException e) when (e.Code == MailErrorCode.AlreadyExists)
            {
                return null;
            }
        }));
        Assert.Single(same, id => id is not null);

        // Creations racing the domain's removal: either the removal is refused and the domain keeps every account created,
        // or it went first and no account was created in it. Never a removed domain with accounts.
        var creations = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await tenant.CreateAccountAsync($"race{i}");
                return true;
            }
            catch (MailException)
            {
                return false;
            }
        }).ToArray();
        bool removed;
        try
        {
            await tenant.Grain.RemoveDomainAsync(tenant.Domain);
            removed = true;
        }
        catch (MailException e) when (e.Code == MailErrorCode.Forbidden)
        {
            removed = false;
        }
        var created = (await Task.WhenAll(creations)).Count(ok => ok);
        Assert.False(removed, "the domain still had dup@ when its removal was asked for");
        Assert.Contains(tenant.Domain, (await tenant.Grain.GetAsync()).Domains);
        Assert.Equal(1 + created, (await fixture.Grains.GetGrain<IDirectoryGrain>(0).ListAccountsAsync(tenant.Domain, 0, 50)).Total);
    }

    [Fact]
    public async Task RemovingADomainIsRefusedWhileItHasAccountsAndFreesItAfterwards()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var account = await tenant.CreateAccountAsync("alice");

        await AssertRefusedAsync(MailErrorCode.Forbidden, () => tenant.Grain.RemoveDomainAsync(tenant.Domain));
        await fixture.Grains.GetGrain<IAccountGrain>(account.AccountId).DeleteAsync();
        await tenant.Grain.RemoveDomainAsync(tenant.Domain);

        Assert.Empty((await tenant.Grain.GetAsync()).Domains);
        Assert.Null(await fixture.Grains.GetGrain<IDomainGrain>(tenant.Domain).GetAsync());
        Assert.DoesNotContain(tenant.Domain, (await fixture.Grains.GetGrain<IDirectoryGrain>(0).ListDomainsAsync()).Select(d => d.Domain));
        var newOwner = fixture.Grains.GetGrain<ITenantGrain>($"t-{Guid.NewGuid():N}");
        Assert.Equal(newOwner.GetPrimaryKeyString(), (await newOwner.AddDomainAsync(tenant.Domain)).TenantId);
    }

    [Fact]
    public async Task AliasRoutesToTheAccountAndDeliveryReachesItsInbox()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);

        await account.AddAliasAsync($"Sales@{tenant.Domain.ToUpperInvariant()}");
        await account.AddAliasAsync(tenant.Address("sales"));
        await account.AddAliasAsync(created.Address);

        Assert.Equal([tenant.Address("sales")], (await account.GetAsync())!.Aliases);
        Assert.Equal(new AddressRoute(created.AccountId, tenant.TenantId), await fixture.Grains.GetGrain<IAddressGrain>(tenant.Address("sales")).ResolveAsync());
        var messages = new TestMessages(fixture);
        var blob = await messages.StoreAsync(tenant.TenantId, TestMessages.Build("For sales"));
        var result = await fixture.Grains.GetGrain<IDeliveryAgentGrain>(0).SubmitAsync(
            new Submission($"sub-{Guid.NewGuid():N}", blob, "buyer@elsewhere.example", [tenant.Address("sales")], null, DateTimeOffset.UtcNow));
        Assert.Equal(RecipientStatus.Delivered, Assert.Single(result.Recipients).Status);
        Assert.Equal(blob.Name, Assert.Single(await _rows.MessagesAsync(created.AccountId)).BlobName);
    }

    [Fact]
    public async Task AliasAlreadyTakenIsAlreadyExistsUntilItsOwnerRemovesIt()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var alice = await tenant.CreateAccountAsync("alice");
        var bob = await tenant.CreateAccountAsync("bob");
        var aliceGrain = fixture.Grains.GetGrain<IAccountGrain>(alice.AccountId);
        var bobGrain = fixture.Grains.GetGrain<IAccountGrain>(bob.AccountId);
        var shared = tenant.Address("team");
        await aliceGrain.AddAliasAsync(shared);

        await AssertRefusedAsync(MailErrorCode.AlreadyExists, () => bobGrain.AddAliasAsync(shared));
        await AssertRefusedAsync(MailErrorCode.AlreadyExists, () => bobGrain.AddAliasAsync(alice.Address));
        Assert.Empty((await bobGrain.GetAsync())!.Aliases);
        Assert.Equal(alice.AccountId, (await fixture.Grains.GetGrain<IAddressGrain>(shared).ResolveAsync())?.AccountId);
        await AssertRefusedAsync(MailErrorCode.NotFound, () => bobGrain.RemoveAliasAsync(shared));
        Assert.Equal(alice.AccountId, (await fixture.Grains.GetGrain<IAddressGrain>(shared).ResolveAsync())?.AccountId);

        await aliceGrain.RemoveAliasAsync(shared.ToUpperInvariant());

        Assert.Empty((await aliceGrain.GetAsync())!.Aliases);
        Assert.Null(await fixture.Grains.GetGrain<IAddressGrain>(shared).ResolveAsync());
        await bobGrain.AddAliasAsync(shared);
        Assert.Equal(bob.AccountId, (await fixture.Grains.GetGrain<IAddressGrain>(shared).ResolveAsync())?.AccountId);
    }

    [Fact]
    public async Task AliasOnAnotherTenantsDomainIsInvalid()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var other = await TestTenant.CreateAsync(fixture.Grains);
        var account = fixture.Grains.GetGrain<IAccountGrain>((await tenant.CreateAccountAsync("alice")).AccountId);

        await AssertRefusedAsync(MailErrorCode.Invalid, () => account.AddAliasAsync(other.Address("ceo")));
        await AssertRefusedAsync(MailErrorCode.Invalid, () => account.AddAliasAsync($"ceo@{TestTenant.FreshDomain()}"));
        await AssertRefusedAsync(MailErrorCode.Invalid, () => account.AddAliasAsync("not-an-address"));

        Assert.Null(await fixture.Grains.GetGrain<IAddressGrain>(other.Address("ceo")).ResolveAsync());
        Assert.Empty((await account.GetAsync())!.Aliases);
    }

    [Fact]
    public async Task AliasOnARemovedDomainDoesNotFollowTheDomainToItsNextTenant()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var secondDomain = TestTenant.FreshDomain();
        await tenant.Grain.AddDomainAsync(secondDomain);
        var alice = await tenant.CreateAccountAsync("alice");
        var alias = $"info@{secondDomain}";
        await fixture.Grains.GetGrain<IAccountGrain>(alice.AccountId).AddAliasAsync(alias);

        // The domain has no account of its own, only an alias; once it goes, the alias must not outlive it, or
        // mail for the domain's next tenant would still be filed into this tenant's mailbox.
        try
        {
            await tenant.Grain.RemoveDomainAsync(secondDomain);
        }
        catch (MailException refusal) when (refusal.Code == MailErrorCode.Forbidden)
        {
            return;
        }
        var next = await TestTenant.CreateAsync(fixture.Grains);
        await next.Grain.AddDomainAsync(secondDomain);

        Assert.NotEqual(alice.AccountId, (await fixture.Grains.GetGrain<IAddressGrain>(alias).ResolveAsync())?.AccountId);
    }

    [Fact]
    public async Task DeleteAccountFreesAddressesPurgesTheMailboxAndStopsAuthentication()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);
        var alias = tenant.Address("alias");
        await account.AddAliasAsync(alias);
        var key = await account.CreateApiKeyAsync("ci");
        var messages = new TestMessages(fixture);
        var mailbox = fixture.Grains.GetGrain<IMailboxGrain>(created.AccountId);
        await mailbox.CreateFolderAsync("Projects");
        await mailbox.DeliverAsync(await messages.DeliveryAsync(tenant.TenantId, TestMessages.Build("one")));
        await mailbox.DeliverAsync(await messages.DeliveryAsync(tenant.TenantId, TestMessages.Build("two"), "Projects"));
        Assert.Equal(2, await _rows.CountAsync("mailbox_messages", created.AccountId));

        await account.DeleteAsync();

        Assert.Null(await fixture.Grains.GetGrain<IAddressGrain>(created.Address).ResolveAsync());
        Assert.Null(await fixture.Grains.GetGrain<IAddressGrain>(alias).ResolveAsync());
        foreach (var table in MailboxRows.Tables) Assert.Equal(0, await _rows.CountAsync(table, created.AccountId));
        Assert.Null(await account.AuthenticateAsync(TestTenant.Password));
        Assert.Null(await account.AuthenticateApiKeyAsync(key.Secret));
        Assert.Null(await account.GetAsync());
        await AssertRefusedAsync(MailErrorCode.NotFound, () => account.AddAliasAsync(tenant.Address("again")));
        await AssertRefusedAsync(MailErrorCode.NotFound, () => mailbox.GetQuotaAsync());
        Assert.Equal(0, (await fixture.Grains.GetGrain<IDirectoryGrain>(0).ListAccountsAsync(tenant.Domain, 0, 10)).Total);

        // The freed address can serve a new account, which starts empty.
        var successor = await tenant.CreateAccountAsync("alice");
        Assert.NotEqual(created.AccountId, successor.AccountId);
        Assert.Equal(successor.AccountId, (await fixture.Grains.GetGrain<IAddressGrain>(created.Address).ResolveAsync())?.AccountId);
        Assert.Equal(0, (await fixture.Grains.GetGrain<IMailboxGrain>(successor.AccountId).GetQuotaAsync()).MessageCount);
        Assert.Null(await account.AuthenticateAsync(TestTenant.Password));
    }

    [Fact]
    public async Task SetQuotaReachesTheMailboxAndTheDirectory()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice", quotaBytes: 1_000);
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);

        await account.SetQuotaAsync(50_000);

        Assert.Equal(50_000, (await account.GetAsync())!.QuotaBytes);
        Assert.Equal(50_000, (await fixture.Grains.GetGrain<IMailboxGrain>(created.AccountId).GetQuotaAsync()).LimitBytes);
        Assert.Equal(50_000, await _rows.ScalarAsync<long>("SELECT quota_limit FROM mailboxes WHERE account_id = @a", ("a", created.AccountId)));
        Assert.Equal(50_000, Assert.Single((await fixture.Grains.GetGrain<IDirectoryGrain>(0).ListAccountsAsync(tenant.Domain, 0, 10)).Items).QuotaBytes);
        await AssertRefusedAsync(MailErrorCode.Invalid, () => account.SetQuotaAsync(0));
    }

    private static async Task AssertRefusedAsync(MailErrorCode code, Func<Task> call) =>
        Assert.Equal(code, (await Assert.ThrowsAsync<MailException>(call)).Code);
}
