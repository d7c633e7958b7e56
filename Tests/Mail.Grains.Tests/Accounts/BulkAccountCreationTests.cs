using Mail.Grains.Accounts;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Storage;
using Mail.Grains.Tests.Infrastructure;
using Mail.Grains.Tests.Mailboxes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Mail.Grains.Tests.Accounts;

/// <summary>
/// ITenantGrain.CreateAccountsAsync: a batch of accounts in one transaction, each entry checked as a single creation is,
/// address claims set-wise (duplicates in the batch and against existing accounts answered per entry), and address grains
/// that saw an address free before the batch never keep answering "free".
/// </summary>
[Collection(MailClusterCollection.Name)]
public sealed class BulkAccountCreationTests(MailClusterFixture fixture)
{
    private const string ImportedPassword = "imported-password";
    private static readonly Lazy<string> ImportedHash = new(() =>
        new PasswordHasher(new PasswordHashingOptions { MemoryKib = 1024, Iterations = 1 }).HashAsync(ImportedPassword).GetAwaiter().GetResult());

    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task ABatchCreatesEveryGoodEntryAndAnswersEachBadOneInItsPlace()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var taken = await tenant.CreateAccountAsync("taken");
        BulkAccount[] batch =
        [
            new(tenant.Address("Ann"), TestTenant.Password, null, null),
            new(tenant.Address("ben"), null, ImportedHash.Value, 5_000),
            new("not-an-address", TestTenant.Password, null, null),
            // "cafe" is hex, so Orleans keys this address as an integer with an extension: the rows must still match.
            new(tenant.Address("cafe+box"), null, "{ARGON2ID}" + ImportedHash.Value, 7_000),
            new(tenant.Address("taken"), TestTenant.Password, null, null),
            new(tenant.Address("ann"), TestTenant.Password, null, null),
            new("x@" + TestTenant.FreshDomain(), TestTenant.Password, null, null),
            new(tenant.Address("short"), "short", null, null),
            new(tenant.Address("bcrypt"), null, "$2y$10$abcdefghijklmnopqrstuuJ7bB4nD2oWl6tM3kXhJ9Zq8cQfFQy1K", null),
            new(tenant.Address("zero"), TestTenant.Password, null, 0),
            new(tenant.Address("both"), TestTenant.Password, ImportedHash.Value, null),
            new(tenant.Address("dee"), TestTenant.Password, null, null),
        ];

        var outcomes = await tenant.Grain.CreateAccountsAsync(batch);

        Assert.Equal(batch.Length, outcomes.Count);
        Assert.Equal([0, 1, 3, 11], Enumerable.Range(0, batch.Length).Where(i => outcomes[i].AccountId is not null).ToArray());
        Assert.All(Enumerable.Range(0, batch.Length).Where(i => outcomes[i].AccountId is null), i => Assert.False(string.IsNullOrEmpty(outcomes[i].Error)));
        Assert.Contains("already in use", outcomes[4].Error);
        Assert.Contains("earlier in this batch", outcomes[5].Error);
        Assert.Contains("not hosted", outcomes[6].Error);
        Assert.Contains("Argon2id", outcomes[8].Error);

        // Each created account works as one created alone: its address routes to it, its password (or the imported
        // hash's password) logs in, its mailbox has its quota and special folders, and the directory lists it.
        (int Index, string Local, string Password, long Quota)[] expected =
        [
            (0, "ann", TestTenant.Password, 500L * 1000 * 1000), (1, "ben", ImportedPassword, 5_000),
            (3, "cafe+box", ImportedPassword, 7_000), (11, "dee", TestTenant.Password, 500L * 1000 * 1000),
        ];
        foreach (var (index, local, password, quota) in expected)
        {
            var accountId = outcomes[index].AccountId!;
            Assert.Equal(new AddressRoute(accountId, tenant.TenantId), await fixture.Grains.GetGrain<IAddressGrain>(tenant.Address(local)).ResolveAsync());
            var account = fixture.Grains.GetGrain<IAccountGrain>(accountId);
            var info = await account.AuthenticateAsync(password);
            Assert.NotNull(info);
            Assert.Equal((tenant.Address(local), tenant.TenantId, quota), (info.Address, info.TenantId, info.QuotaBytes));
            Assert.Null(await account.AuthenticateAsync("wrong-password"));
            Assert.Equal(quota, (await fixture.Grains.GetGrain<IMailboxGrain>(accountId).GetQuotaAsync()).LimitBytes);
            Assert.Equal(6, await _rows.CountAsync("mailbox_folders", accountId));
        }
        Assert.Equal(taken.AccountId, (await fixture.Grains.GetGrain<IAddressGrain>(taken.Address).ResolveAsync())?.AccountId);
        Assert.Null(await fixture.Grains.GetGrain<IAddressGrain>(tenant.Address("short")).ResolveAsync());
        Assert.Equal(5, (await fixture.Grains.GetGrain<IDirectoryGrain>(0).ListAccountsAsync(tenant.Domain, 0, 50)).Total);
    }

    [Fact]
    public async Task AnAddressGrainThatSawTheAddressFreeSeesTheImportAndRefusesAnotherClaim()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var early = fixture.Grains.GetGrain<IAddressGrain>(tenant.Address("early"));
        var late = fixture.Grains.GetGrain<IAddressGrain>(tenant.Address("late"));
        Assert.Null(await early.ResolveAsync());
        Assert.Null(await early.ResolveAsync());
        Assert.Null(await late.ResolveAsync());

        var outcomes = await tenant.Grain.CreateAccountsAsync(
            [new(tenant.Address("early"), TestTenant.Password, null, null), new(tenant.Address("late"), TestTenant.Password, null, null)]);

        // The activation that answered "free" reads its row again; a claim from its stale state fails on the version.
        Assert.Equal(outcomes[0].AccountId, (await early.ResolveAsync())?.AccountId);
        Assert.False(await late.ClaimAsync(new AddressRoute("someone-else", tenant.TenantId)));
        Assert.Equal(outcomes[1].AccountId, (await late.ResolveAsync())?.AccountId);
        var again = await Assert.ThrowsAsync<MailException>(() => tenant.CreateAccountAsync("early"));
        Assert.Equal(MailErrorCode.AlreadyExists, again.Code);
        Assert.Contains("already in use", Assert.Single(await tenant.Grain.CreateAccountsAsync([new(tenant.Address("late"), TestTenant.Password, null, null)])).Error);

        // A deleted account's address (a released row) is claimed again by the next batch.
        await fixture.Grains.GetGrain<IAccountGrain>(outcomes[0].AccountId!).DeleteAsync();
        Assert.Null(await early.ResolveAsync());
        var reimported = Assert.Single(await tenant.Grain.CreateAccountsAsync([new(tenant.Address("early"), null, ImportedHash.Value, null)]));
        Assert.NotNull(reimported.AccountId);
        Assert.Equal(reimported.AccountId, (await early.ResolveAsync())?.AccountId);
        Assert.NotNull(await fixture.Grains.GetGrain<IAccountGrain>(reimported.AccountId!).AuthenticateAsync(ImportedPassword));
    }

    [Fact]
    public async Task ABatchRacingItsDomainsRemovalNeverLeavesAccountsInARemovedDomain()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var batch = Enumerable.Range(0, 50).Select(i => new BulkAccount(tenant.Address($"race{i}"), null, ImportedHash.Value, null)).ToArray();

        var creation = tenant.Grain.CreateAccountsAsync(batch);
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
        var outcomes = await creation;
        var created = outcomes.Count(o => o.AccountId is not null);
        var listed = (await fixture.Grains.GetGrain<IDirectoryGrain>(0).ListAccountsAsync(tenant.Domain, 0, 100)).Total;
        if (removed)
        {
            Assert.Equal((0, 0L), (created, listed));
            Assert.DoesNotContain(tenant.Domain, (await tenant.Grain.GetAsync()).Domains);
        }
        else
        {
            Assert.Equal((50, 50L), (created, listed));
        }

        // Once the domain is gone every entry is answered "not hosted" and nothing is written.
        var other = await TestTenant.CreateAsync(fixture.Grains);
        await other.Grain.RemoveDomainAsync(other.Domain);
        var refused = await other.Grain.CreateAccountsAsync([new(other.Address("a"), TestTenant.Password, null, null), new(other.Address("b"), null, ImportedHash.Value, null)]);
        Assert.All(refused, o => Assert.Contains("not hosted", o.Error));
        Assert.Null(await fixture.Grains.GetGrain<IAddressGrain>(other.Address("a")).ResolveAsync());
    }

    [Fact]
    public async Task RowKeysAreTheOnesOrleansStorageProviderWrites()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        // Written by the grains through the provider: a plain string key, a hex+extension key (Orleans parses it as an
        // integer key) and a 32-hex account id (parsed as a Guid key).
        var plain = await tenant.CreateAccountAsync("plain");
        var hex = await tenant.CreateAccountAsync("beef+tag");
        var serviceId = fixture.SiloServices.GetRequiredService<GrainStateRows>().ServiceId;

        foreach (var key in new[] { GrainStateRows.KeyOf(AddressGrain.StateName, plain.Address), GrainStateRows.KeyOf(AddressGrain.StateName, hex.Address),
                     GrainStateRows.KeyOf(AccountGrain.StateName, plain.AccountId), GrainStateRows.KeyOf(AccountGrain.StateName, hex.AccountId) })
        {
            await using var connection = await fixture.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT count(*) FROM orleans_storage
                WHERE grain_id_hash = @h AND grain_type_hash = @th AND service_id = @s AND grain_type_string = @t
                  AND grain_id_n0 = @n0 AND grain_id_n1 = @n1 AND grain_id_extension_string IS NOT DISTINCT FROM @e AND payload_binary IS NOT NULL
                """, connection);
            command.Parameters.AddWithValue("h", key.GrainIdHash);
            command.Parameters.AddWithValue("th", key.GrainTypeHash);
            command.Parameters.AddWithValue("s", serviceId);
            command.Parameters.AddWithValue("t", key.GrainType);
            command.Parameters.AddWithValue("n0", key.N0);
            command.Parameters.AddWithValue("n1", key.N1);
            command.Parameters.AddWithValue("e", NpgsqlTypes.NpgsqlDbType.Text, (object?)key.Extension ?? DBNull.Value);
            Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
        }
        Assert.Equal(0xbeefL, GrainStateRows.KeyOf(AddressGrain.StateName, hex.Address).N1);
        Assert.NotEqual(0L, GrainStateRows.KeyOf(AccountGrain.StateName, plain.AccountId).N0);
    }
}
