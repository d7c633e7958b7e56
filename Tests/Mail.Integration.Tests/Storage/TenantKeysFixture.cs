using Mail.Storage.Keys;

namespace Mail.Integration.Tests.Storage;

/// <summary>A tenant key store on a fresh database under a master key file in a temporary directory, shared by one test class.</summary>
public sealed class TenantKeysFixture : IAsyncLifetime
{
    private readonly TempDirectory _dataDir = new();

    /// <summary>The database holding tenant_keys.</summary>
    public TestDatabase Database { get; private set; } = null!;

    /// <summary>The store.</summary>
    public PostgresTenantKeyStore Store { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("tenantkeys");
        Store = await TestKeys.OpenStoreAsync(Database.ConnectionString, _dataDir.Path);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        _dataDir.Dispose();
    }
}
