using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Accounts;

/// <summary>Token versions, password-only checks, scoped and expiring API keys, over-long passwords: the account grain's side.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class AccountRevocationTests(MailClusterFixture fixture)
{
    [Fact]
    public async Task PasswordChangeAndSuspensionRetireEveryEarlierTokenVersion()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);
        var issued = created.TokenVersion;
        Assert.True(await account.IsCurrentAsync(issued));

        await account.SetPasswordAsync("another-password");
        Assert.False(await account.IsCurrentAsync(issued));
        var afterChange = (await account.AuthenticateAsync("another-password"))!.TokenVersion;
        Assert.True(await account.IsCurrentAsync(afterChange));

        await account.SetSuspendedAsync(true);
        Assert.False(await account.IsCurrentAsync(afterChange));
        await account.SetSuspendedAsync(false);
        Assert.False(await account.IsCurrentAsync(afterChange));
        Assert.True(await account.IsCurrentAsync((await account.GetAsync())!.TokenVersion));
    }

    [Fact]
    public async Task TenantSuspensionRetiresSessionsWithinSeconds()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);
        Assert.True(await account.IsCurrentAsync(created.TokenVersion));

        await tenant.Grain.SetSuspendedAsync(true);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.False(await account.IsCurrentAsync(created.TokenVersion));
    }

    [Fact]
    public async Task AppPasswordIsNotTheAccountPassword()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);
        var appPassword = await account.CreateAppPasswordAsync("phone");

        Assert.NotNull(await account.AuthenticateAsync(appPassword.Secret));
        Assert.Null(await account.AuthenticatePasswordAsync(appPassword.Secret));
        Assert.NotNull(await account.AuthenticatePasswordAsync(TestTenant.Password));
    }

    [Fact]
    public async Task ApiKeyCarriesItsScopeAndStopsAtItsExpiry()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);

        var reader = await account.CreateApiKeyAsync("reader", ApiKeyScopes.Read);
        var brief = await account.CreateApiKeyAsync("brief", ApiKeyScopes.Send, DateTimeOffset.UtcNow.AddSeconds(1));

        Assert.Equal(ApiKeyScopes.Read, (await account.AuthenticateApiKeyAsync(reader.Secret))?.Scope);
        Assert.Equal(ApiKeyScopes.Send, (await account.AuthenticateApiKeyAsync(brief.Secret))?.Scope);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Null(await account.AuthenticateApiKeyAsync(brief.Secret));
        Assert.NotNull(await account.AuthenticateApiKeyAsync(reader.Secret));
        Assert.Equal(MailErrorCode.Invalid, (await Assert.ThrowsAsync<MailException>(() => account.CreateApiKeyAsync("x", "admin"))).Code);
        Assert.Equal(MailErrorCode.Invalid,
            (await Assert.ThrowsAsync<MailException>(() => account.CreateApiKeyAsync("x", ApiKeyScopes.Full, DateTimeOffset.UtcNow.AddMinutes(-1)))).Code);
    }

    [Fact]
    public async Task OverlongPasswordFailsForKnownAndUnknownAccountsAlike()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var huge = TestTenant.Password + new string('x', 1_000_000);

        Assert.Null(await fixture.Grains.GetGrain<IAccountGrain>(created.AccountId).AuthenticateAsync(huge));
        Assert.Null(await fixture.Grains.GetGrain<IPasswordDecoyGrain>(0).AuthenticateAsync(huge));
        Assert.Null(await fixture.Grains.GetGrain<IPasswordDecoyGrain>(0).AuthenticateAsync(TestTenant.Password));
    }
}
