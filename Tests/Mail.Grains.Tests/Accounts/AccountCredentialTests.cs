using System.Text.Json;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Accounts;

/// <summary>Passwords (Argon2id), app passwords, API keys, suspension, and credentials surviving deactivation.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class AccountCredentialTests(MailClusterFixture fixture)
{
    [Fact]
    public async Task RightPasswordAuthenticatesAndWrongDoesNot()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var password = $"correct-horse-{Guid.NewGuid():N}";
        var created = await tenant.CreateAccountAsync("alice", password: password);
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);

        Assert.Equal(tenant.Address("alice"), created.Address);
        Assert.Equal(tenant.TenantId, created.TenantId);
        Assert.Equivalent(created, await account.AuthenticateAsync(password), strict: true);
        Assert.Equivalent(created, await account.AuthenticateAsync(password), strict: true);
        Assert.Null(await account.AuthenticateAsync(password + "x"));
        Assert.Null(await account.AuthenticateAsync(password.ToUpperInvariant()));
        Assert.Null(await fixture.Grains.GetGrain<IAccountGrain>(Guid.NewGuid().ToString("N")).AuthenticateAsync(password));
    }

    [Fact]
    public async Task EmptyPasswordIsRefusedRatherThanAnError()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);

        // IMAP LOGIN "alice" "" and an HTTP Basic header without a password are well-formed; they must just fail.
        Assert.Null(await account.AuthenticateAsync(""));
    }

    [Fact]
    public async Task PasswordIsStoredOnlyAsAnArgon2idPhcString()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var password = $"plain-secret-{Guid.NewGuid():N}";
        var created = await tenant.CreateAccountAsync("alice", password: password);

        // No grain state row anywhere holds the plain password.
        Assert.Equal(0, await ScalarAsync<long>(
            "SELECT count(*) FROM orleans_storage WHERE position(convert_to(@p, 'UTF8') IN payload_binary) > 0", ("p", password)));
        var payload = await StoredPayloadAsync(created.Address);
        Assert.DoesNotContain(password, payload);
        using var document = JsonDocument.Parse(payload);
        var hash = document.RootElement.GetProperty("passwordHash").GetString()!;
        Assert.Matches(@"^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$", hash);
        Assert.DoesNotContain(password, hash);
        Assert.Equal(created.Address, document.RootElement.GetProperty("address").GetString());
    }

    [Fact]
    public async Task SameCredentialsGetDifferentSalts()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var first = await tenant.CreateAccountAsync("one");
        var second = await tenant.CreateAccountAsync("two");

        Assert.NotEqual(await StoredHashAsync(first.Address), await StoredHashAsync(second.Address));
    }

    [Fact]
    public async Task SetPasswordReplacesTheOldOne()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);
        Assert.NotNull(await account.AuthenticateAsync(TestTenant.Password));

        await account.SetPasswordAsync("brand-new-password");

        Assert.Null(await account.AuthenticateAsync(TestTenant.Password));
        Assert.NotNull(await account.AuthenticateAsync("brand-new-password"));
        await AssertRefusedAsync(MailErrorCode.Invalid, () => account.SetPasswordAsync("short"));
        Assert.NotNull(await account.AuthenticateAsync("brand-new-password"));
    }

    [Fact]
    public async Task AppPasswordAuthenticatesUntilRevoked()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);

        var phone = await account.CreateAppPasswordAsync("phone");
        var laptop = await account.CreateAppPasswordAsync("laptop");

        Assert.Equal("phone", phone.Name);
        Assert.NotEqual(phone.Id, laptop.Id);
        Assert.NotEqual(phone.Secret, laptop.Secret);
        Assert.True(phone.Secret.Length >= 24, "an app password should carry real entropy");
        Assert.Equal(created.AccountId, (await account.AuthenticateAsync(phone.Secret))?.AccountId);
        Assert.Equal(created.AccountId, (await account.AuthenticateAsync(laptop.Secret))?.AccountId);
        Assert.Null(await account.AuthenticateApiKeyAsync(phone.Secret));

        await account.RevokeSecretAsync(phone.Id);

        Assert.Null(await account.AuthenticateAsync(phone.Secret));
        Assert.NotNull(await account.AuthenticateAsync(laptop.Secret));
        Assert.NotNull(await account.AuthenticateAsync(TestTenant.Password));
        await AssertRefusedAsync(MailErrorCode.NotFound, () => account.RevokeSecretAsync(phone.Id));
        Assert.DoesNotContain(laptop.Secret, await StoredPayloadAsync(created.Address));
    }

    [Fact]
    public async Task ApiKeyAuthenticatesOnlyWithItsAccountIdAndSecret()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var other = await tenant.CreateAccountAsync("bob");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);
        var otherAccount = fixture.Grains.GetGrain<IAccountGrain>(other.AccountId);

        var key = await account.CreateApiKeyAsync("ci");
        var otherKey = await otherAccount.CreateApiKeyAsync("ci");

        Assert.StartsWith($"mk_{created.AccountId}_", key.Secret);
        Assert.Equal(created.AccountId, ApiKeyFormat.AccountIdOf(key.Secret));
        Assert.Equal(created.AccountId, (await account.AuthenticateApiKeyAsync(key.Secret))?.Account.AccountId);
        var secret = key.Secret[$"mk_{created.AccountId}_".Length..];
        // The right secret under another account's id, another account's key, a tampered secret: all refused.
        Assert.Null(await otherAccount.AuthenticateApiKeyAsync(key.Secret));
        Assert.Null(await otherAccount.AuthenticateApiKeyAsync(ApiKeyFormat.Compose(other.AccountId, secret)));
        Assert.Null(await account.AuthenticateApiKeyAsync(otherKey.Secret));
        Assert.Null(await account.AuthenticateApiKeyAsync(ApiKeyFormat.Compose(created.AccountId, secret + "x")));
        Assert.Null(await account.AuthenticateApiKeyAsync(ApiKeyFormat.Compose(created.AccountId, ReplaceFirst(secret))));
        Assert.Null(await account.AuthenticateApiKeyAsync(secret));
        Assert.Null(await account.AuthenticateApiKeyAsync(""));
        // An API key is not a password.
        Assert.Null(await account.AuthenticateAsync(key.Secret));

        await account.RevokeSecretAsync(key.Id);

        Assert.Null(await account.AuthenticateApiKeyAsync(key.Secret));
        Assert.NotNull(await otherAccount.AuthenticateApiKeyAsync(otherKey.Secret));
    }

    [Fact]
    public async Task SuspendedAccountCannotAuthenticateUntilResumed()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);
        var appPassword = await account.CreateAppPasswordAsync("phone");
        var key = await account.CreateApiKeyAsync("ci");

        await account.SetSuspendedAsync(true);

        Assert.Null(await account.AuthenticateAsync(TestTenant.Password));
        Assert.Null(await account.AuthenticateAsync(appPassword.Secret));
        Assert.Null(await account.AuthenticateApiKeyAsync(key.Secret));
        Assert.True((await account.GetAsync())!.Suspended);
        Assert.True(await DirectorySuspendedAsync(created.AccountId));

        await account.SetSuspendedAsync(false);

        var resumed = await account.AuthenticateAsync(TestTenant.Password);
        Assert.NotNull(resumed);
        Assert.False(resumed.Suspended);
        Assert.NotNull(await account.AuthenticateAsync(appPassword.Secret));
        Assert.NotNull(await account.AuthenticateApiKeyAsync(key.Secret));
        Assert.False(await DirectorySuspendedAsync(created.AccountId));
    }

    [Fact]
    public async Task SuspendedTenantsAccountsCannotAuthenticateUntilResumed()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice");
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);
        var key = await account.CreateApiKeyAsync("ci");
        Assert.NotNull(await account.AuthenticateAsync(TestTenant.Password));

        await tenant.Grain.SetSuspendedAsync(true);

        Assert.True((await tenant.Grain.GetAsync()).Suspended);
        Assert.Null(await account.AuthenticateAsync(TestTenant.Password));
        Assert.Null(await account.AuthenticateApiKeyAsync(key.Secret));
        await AssertRefusedAsync(MailErrorCode.Suspended, () => tenant.CreateAccountAsync("bob"));

        await tenant.Grain.SetSuspendedAsync(false);

        Assert.NotNull(await account.AuthenticateAsync(TestTenant.Password));
        Assert.NotNull(await account.AuthenticateApiKeyAsync(key.Secret));
        Assert.NotNull(await tenant.CreateAccountAsync("bob"));
    }

    [Fact]
    public async Task AccountStateSurvivesDeactivation()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var created = await tenant.CreateAccountAsync("alice", quotaBytes: 7_000_000);
        var account = fixture.Grains.GetGrain<IAccountGrain>(created.AccountId);
        var appPassword = await account.CreateAppPasswordAsync("phone");
        var key = await account.CreateApiKeyAsync("ci");
        await account.AddAliasAsync(tenant.Address("al"));
        await account.SetPasswordAsync("changed-password");
        await tenant.Grain.AddDomainAsync(TestTenant.FreshDomain());
        var tenantBefore = await tenant.Grain.GetAsync();

        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var info = await account.AuthenticateAsync("changed-password");
        Assert.NotNull(info);
        Assert.Equal((created.AccountId, tenant.TenantId, created.Address, 7_000_000L, created.CreatedAt),
            (info.AccountId, info.TenantId, info.Address, info.QuotaBytes, info.CreatedAt));
        Assert.Equal([tenant.Address("al")], info.Aliases);
        Assert.Null(await account.AuthenticateAsync(TestTenant.Password));
        Assert.NotNull(await account.AuthenticateAsync(appPassword.Secret));
        Assert.NotNull(await account.AuthenticateApiKeyAsync(key.Secret));
        Assert.Equivalent(tenantBefore, await tenant.Grain.GetAsync(), strict: true);
        Assert.Equal(created.AccountId, (await fixture.Grains.GetGrain<IAddressGrain>(tenant.Address("al")).ResolveAsync())?.AccountId);
        Assert.Equal(tenant.TenantId, (await fixture.Grains.GetGrain<IDomainGrain>(tenant.Domain).GetAsync())?.TenantId);
    }

    private static string ReplaceFirst(string secret) => (secret[0] == 'A' ? 'B' : 'A') + secret[1..];

    private static async Task AssertRefusedAsync(MailErrorCode code, Func<Task> call) =>
        Assert.Equal(code, (await Assert.ThrowsAsync<MailException>(call)).Code);

    /// <summary>
    /// The JSON state document of an account grain. Account ids are 32 hex digits, which the ADO.NET provider
    /// stores as a Guid key (grain_id_n0/n1), so the row is found by the address inside its payload.
    /// </summary>
    private async Task<string> StoredPayloadAsync(string address)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            """
            SELECT convert_from(payload_binary, 'UTF8') FROM orleans_storage
            WHERE grain_type_string = 'account' AND convert_from(payload_binary, 'UTF8')::jsonb ->> 'address' = @address
            """, connection);
        command.Parameters.AddWithValue("address", address);
        var payloads = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) payloads.Add(reader.GetString(0));
        return Assert.Single(payloads);
    }

    private async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> StoredHashAsync(string address)
    {
        using var document = JsonDocument.Parse(await StoredPayloadAsync(address));
        return document.RootElement.GetProperty("passwordHash").GetString()!;
    }

    private async Task<bool> DirectorySuspendedAsync(string accountId)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT suspended FROM directory_accounts WHERE account_id = @id", connection);
        command.Parameters.AddWithValue("id", accountId);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
