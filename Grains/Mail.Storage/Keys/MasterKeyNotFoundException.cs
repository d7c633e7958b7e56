namespace Mail.Storage.Keys;

/// <summary>Thrown when tenant keys are wrapped under a master key version that the configured source does not hold.</summary>
public sealed class MasterKeyNotFoundException(string id, string source)
    : InvalidOperationException($"Master key version {id} is not in {source}, but tenant keys are wrapped under it: " +
        "restore that version (an older key file or vault secret version) or nothing those tenants stored can be read.")
{
    /// <summary>The missing version.</summary>
    public string Id { get; } = id;
}
