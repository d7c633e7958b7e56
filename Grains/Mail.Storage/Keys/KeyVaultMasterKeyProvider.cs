using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace Mail.Storage.Keys;

/// <summary>
/// The master key as an Azure Key Vault secret (base64 of 32 random bytes): the vault's secret versions are the master
/// key versions, the current one the newest. A secret rather than a vault key because only the Secrets client is
/// available here; the tenant keys are still wrapped in this process, with the secret's bytes.
/// </summary>
public sealed class KeyVaultMasterKeyProvider(SecretClient client, string secretName) : IMasterKeyProvider
{
    private readonly ConcurrentDictionary<string, MasterKey> _known = new(StringComparer.Ordinal);

    /// <summary>A provider for <paramref name="secretName"/> in the vault at <paramref name="vaultUri"/>, authenticated by <see cref="DefaultAzureCredential"/> (managed identity, workload identity, environment, Azure CLI).</summary>
    public static KeyVaultMasterKeyProvider Create(Uri vaultUri, string secretName) =>
        new(new SecretClient(vaultUri, new DefaultAzureCredential()), secretName);

    /// <inheritdoc />
    public string Source => $"the Key Vault secret '{secretName}' of {client.VaultUri}";

    /// <inheritdoc />
    public async Task<MasterKey> GetCurrentAsync(CancellationToken ct) =>
        Remember((await client.GetSecretAsync(secretName, cancellationToken: ct)).Value);

    /// <inheritdoc />
    public async Task<MasterKey> GetAsync(string id, CancellationToken ct)
    {
        if (_known.TryGetValue(id, out var key)) return key;
        try
        {
            return Remember((await client.GetSecretAsync(secretName, id, ct)).Value);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            throw new MasterKeyNotFoundException(id, Source);
        }
    }

    /// <inheritdoc />
    public async Task<MasterKey> AddVersionAsync(CancellationToken ct)
    {
        var secret = new KeyVaultSecret(secretName, Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.MinSecretBytes)));
        secret.Properties.ContentType = "application/octet-stream;base64";
        return Remember((await client.SetSecretAsync(secret, ct)).Value);
    }

    private MasterKey Remember(KeyVaultSecret secret)
    {
        var key = MasterKey.FromBase64(secret.Properties.Version, secret.Value, Source);
        _known[key.Id] = key;
        return key;
    }
}
