using Mail.Storage.Blobs;

namespace Mail.Integration.Tests.Storage;

/// <summary>The encrypted store over <see cref="AzureBlobStore"/> on Azurite; fails when MAIL_TEST_AZURITE is not set.</summary>
public sealed class EncryptedBlobStoreOnAzuriteTests(AzuriteContainerFixture azurite, TenantKeysFixture keys)
    : EncryptedBlobStoreBehaviour(azurite.Store, keys), IClassFixture<AzuriteContainerFixture>, IClassFixture<TenantKeysFixture>;
