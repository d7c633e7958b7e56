namespace Mail.Grains.Accounts;

/// <summary>The persisted document of a domain grain.</summary>
public sealed class DomainState
{
    /// <summary>Owning tenant, or null when unclaimed.</summary>
    public string? TenantId { get; set; }

    /// <summary>When it was claimed.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
