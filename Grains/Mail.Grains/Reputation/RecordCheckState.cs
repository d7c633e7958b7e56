namespace Mail.Grains.Reputation;

/// <summary>The outcome of looking one record up: which value was checked, the status and when.</summary>
public sealed class RecordCheckState
{
    /// <summary>The value that was expected; a check of another value says nothing about the current one.</summary>
    public string Value { get; set; } = "";

    /// <summary>One of DnsRecordStatuses.</summary>
    public string Status { get; set; } = "";

    /// <summary>When it was looked up.</summary>
    public DateTimeOffset CheckedAt { get; set; }
}
