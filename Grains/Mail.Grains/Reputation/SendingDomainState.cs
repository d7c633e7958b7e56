namespace Mail.Grains.Reputation;

/// <summary>The persisted document of a sending domain grain.</summary>
public sealed class SendingDomainState
{
    /// <summary>The tenant whose key seals the private keys; keys never pass to a domain's next owner.</summary>
    public string? TenantId { get; set; }

    /// <summary>The generation signed with; keys of a higher one are a rotation waiting for its record to verify.</summary>
    public int ActiveGeneration { get; set; } = 1;

    /// <summary>Active, pending and retired keys.</summary>
    public List<DkimKeyState> Keys { get; set; } = [];

    /// <summary>The last check of each record, by "type name".</summary>
    public Dictionary<string, RecordCheckState> Checks { get; set; } = new(StringComparer.Ordinal);
}
