using Azure.Storage.Blobs;
using Mail.Storage.Blobs;

namespace Mail.Integration.Tests.Storage;

/// <summary>A container with a random name in the Azurite named by MAIL_TEST_AZURITE, created for one test class and deleted after it.</summary>
public sealed class AzuriteContainerFixture : IAsyncLifetime
{
    /// <summary>The environment variable holding the Azurite connection string (set by infra/test.sh).</summary>
    public const string ConnectionStringVariable = "MAIL_TEST_AZURITE";

    private BlobContainerClient? _container;
    private AzureBlobStore? _store;

    /// <summary>The store over this fixture's container.</summary>
    public AzureBlobStore Store => _store ?? throw new InvalidOperationException("The fixture has not been initialized.");

    public async Task InitializeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        // Failing, not skipping: a CI run without Azurite must not report the Azure store as tested.
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{ConnectionStringVariable} is not set. The Azure blob store tests need an Azure Storage connection " +
                "string for Azurite; run them through infra/test.sh, or start Azurite and set the variable yourself.");
        }
        var name = "mail-test-" + Guid.NewGuid().ToString("N")[..16];
        _store = await AzureBlobStore.CreateAsync(connectionString, name);
        _container = new BlobContainerClient(connectionString, name);
    }

    public async Task DisposeAsync()
    {
        if (_container is not null) await _container.DeleteIfExistsAsync();
    }
}
