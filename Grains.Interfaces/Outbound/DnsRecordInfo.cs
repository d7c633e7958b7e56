namespace Mail.Grains.Interfaces.Outbound;

/// <summary>
/// A DNS record a sending domain's owner publishes: <paramref name="Type"/> ("MX", "TXT"), owner
/// <paramref name="Name"/>, <paramref name="Value"/>, <paramref name="Purpose"/> (one of
/// <see cref="DnsRecordPurposes"/>) and <paramref name="Status"/> (one of <see cref="DnsRecordStatuses"/>)
/// as of <paramref name="CheckedAt"/> (null before the first check).
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.DnsRecordInfo")]
public sealed record DnsRecordInfo(
    [property: Id(0)] string Type,
    [property: Id(1)] string Name,
    [property: Id(2)] string Value,
    [property: Id(3)] string Purpose,
    [property: Id(4)] string Status,
    [property: Id(5)] DateTimeOffset? CheckedAt);
