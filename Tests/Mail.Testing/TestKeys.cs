using Mail.Storage;
using Mail.Storage.Keys;
using Mail.Storage.Postgres;

namespace Mail.Testing;

/// <summary>The master key file a host needs, made as infra/run.sh makes it, and tenant key stores over a test database.</summary>
public static class TestKeys
{
    /// <summary>Creates <c>master.key</c> (one version, mode 0600) in <paramref name="dataDir"/> unless it exists; returns its path.</summary>
    public static string EnsureMasterKey(string dataDir)
    {
        var path = Path.Combine(dataDir, TenantKeyStoreFactory.DefaultMasterKeyFile);
        SecretFile.ReadOrCreate(path, 0, "the master key file", MasterKeyFile.NewFile);
        return path;
    }

    /// <summary>A tenant key store on <paramref name="connectionString"/> under the master key file in <paramref name="dataDir"/> (created if missing), as a host there would open it.</summary>
    public static Task<PostgresTenantKeyStore> OpenStoreAsync(string connectionString, string dataDir, int currentKeyRefreshSeconds = 60)
    {
        EnsureMasterKey(dataDir);
        return TenantKeyStoreFactory.CreateAsync(new KeyOptions { CurrentKeyRefreshSeconds = currentKeyRefreshSeconds }, dataDir,
            Path.Combine(dataDir, "keys"), MailDataSource.Create(connectionString), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    }
}
