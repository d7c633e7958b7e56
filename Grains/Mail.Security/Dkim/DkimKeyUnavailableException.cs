namespace Mail.Security.Dkim;

/// <summary>No usable key record for a signature: <see cref="Temporary"/> for a DNS failure (temperror), else missing or revoked (permerror, RFC 6376 §6.1.2).</summary>
public sealed class DkimKeyUnavailableException(string message, bool temporary) : Exception(message)
{
    /// <summary>Whether the lookup may succeed later.</summary>
    public bool Temporary { get; } = temporary;
}
