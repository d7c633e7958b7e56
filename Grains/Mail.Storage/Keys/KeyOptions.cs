namespace Mail.Storage.Keys;

/// <summary>Where the master key that wraps the tenant keys comes from (configuration section "Mail:Keys").</summary>
public sealed class KeyOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Mail:Keys";

    /// <summary>The <see cref="Provider"/> for <see cref="FileMasterKeyProvider"/>.</summary>
    public const string FileProvider = "file";

    /// <summary>The <see cref="Provider"/> for <see cref="KeyVaultMasterKeyProvider"/>.</summary>
    public const string KeyVaultProvider = "keyvault";

    /// <summary>"file" (default) or "keyvault".</summary>
    public string Provider { get; set; } = FileProvider;

    /// <summary>The master key file; default "master.key" in the data directory.</summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>The vault, e.g. https://my-vault.vault.azure.net/; required when <see cref="Provider"/> is "keyvault".</summary>
    public string? KeyVaultUri { get; set; }

    /// <summary>The name of the vault secret holding the master key.</summary>
    public string KeyVaultSecretName { get; set; } = "mail-master-key";

    /// <summary>How long a process keeps writing under a tenant key version before it looks for a newer one (a rotation by another process).</summary>
    public int CurrentKeyRefreshSeconds { get; set; } = 60;
}
