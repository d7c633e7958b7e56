namespace Mail.Storage.Keys;

/// <summary>Where the versions of the master key live (a key file, or Azure Key Vault); the newest version wraps new tenant keys.</summary>
public interface IMasterKeyProvider
{
    /// <summary>Describes the source for messages, e.g. the file's path or the vault secret's URI.</summary>
    string Source { get; }

    /// <summary>The newest version, read afresh (a rotation by another process is seen at once); throws with a clear message when there is none or it is unusable.</summary>
    Task<MasterKey> GetCurrentAsync(CancellationToken ct);

    /// <summary>The version named <paramref name="id"/>; throws <see cref="MasterKeyNotFoundException"/> when the source does not have it.</summary>
    Task<MasterKey> GetAsync(string id, CancellationToken ct);

    /// <summary>Adds a new random version, which becomes the newest, and returns it.</summary>
    Task<MasterKey> AddVersionAsync(CancellationToken ct);
}
