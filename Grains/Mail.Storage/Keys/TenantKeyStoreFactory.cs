using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mail.Storage.Keys;

/// <summary>Builds the tenant key store at start: the configured master key source, checked; legacy key files imported; every master key version in use proven present.</summary>
public static class TenantKeyStoreFactory
{
    /// <summary>The default master key file name, in the data directory.</summary>
    public const string DefaultMasterKeyFile = "master.key";

    /// <summary>The master key source <paramref name="options"/> select; a relative key file path is taken under <paramref name="dataDir"/>.</summary>
    public static IMasterKeyProvider CreateProvider(KeyOptions options, string dataDir) => options.Provider.ToLowerInvariant() switch
    {
        KeyOptions.FileProvider => new FileMasterKeyProvider(Path.Combine(dataDir, options.MasterKeyFile ?? DefaultMasterKeyFile)),
        KeyOptions.KeyVaultProvider => KeyVaultMasterKeyProvider.Create(
            new Uri(options.KeyVaultUri ?? throw new InvalidOperationException(
                "The keyvault master key provider needs MAIL_KEY_VAULT_URI (Mail:Keys:KeyVaultUri), e.g. https://my-vault.vault.azure.net/.")),
            options.KeyVaultSecretName),
        _ => throw new InvalidOperationException($"Unknown master key provider '{options.Provider}': use 'file' or 'keyvault'."),
    };

    /// <summary>
    /// The store, or an exception that stops the start with what to fix: no usable master key (missing, open to others,
    /// short, malformed), or tenant keys wrapped under a version the source lacks or holds a different secret for (a
    /// replaced key file would otherwise make every stored message unreadable one request at a time).
    /// </summary>
    public static async Task<PostgresTenantKeyStore> CreateAsync(
        KeyOptions options, string dataDir, string legacyKeyDirectory, NpgsqlDataSource dataSource, ILogger logger, CancellationToken ct = default)
    {
        var provider = CreateProvider(options, dataDir);
        await provider.GetCurrentAsync(ct);
        await new LegacyTenantKeyImport(dataSource, provider, logger).ImportAsync(legacyKeyDirectory, ct);
        await CheckVersionsInUseAsync(dataSource, provider, ct);
        return new PostgresTenantKeyStore(dataSource, provider, TimeSpan.FromSeconds(options.CurrentKeyRefreshSeconds));
    }

    // One key per master key version in use is unwrapped: that proves the source holds that version's secret.
    private static async Task CheckVersionsInUseAsync(NpgsqlDataSource dataSource, IMasterKeyProvider provider, CancellationToken ct)
    {
        var samples = new List<(string TenantId, int Version, string MasterId, byte[] Wrapped)>();
        await using (var command = dataSource.CreateCommand(
            "SELECT DISTINCT ON (master_key_id) tenant_id, version, master_key_id, wrapped_key FROM tenant_keys ORDER BY master_key_id, tenant_id, version"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                samples.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3)));
        }
        foreach (var (tenantId, version, masterId, wrapped) in samples)
        {
            var master = await provider.GetAsync(masterId, ct);
            try
            {
                TenantKeyWrap.Unwrap(master, tenantId, version, wrapped);
            }
            catch (TenantKeyUnwrapException e)
            {
                throw new InvalidOperationException(
                    $"Tenant keys are wrapped under master key version {masterId}, but that version in {provider.Source} does not unwrap them " +
                    $"(tried tenant '{tenantId}' key version {version}). Restore the master key they were wrapped under; a new key cannot read old data.", e);
            }
        }
    }
}
