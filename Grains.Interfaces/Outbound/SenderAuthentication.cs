namespace Mail.Grains.Interfaces.Outbound;

/// <summary>
/// The last verified state (<see cref="DnsRecordStatuses"/>) of a sending domain's SPF (RFC 7208), DKIM key (RFC 6376, the
/// key mail is signed with) and DMARC (RFC 7489) records: what Gmail and Yahoo require of bulk senders since 2024.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.SenderAuthentication")]
public sealed record SenderAuthentication(
    [property: Id(0)] string Spf,
    [property: Id(1)] string Dkim,
    [property: Id(2)] string Dmarc)
{
    /// <summary>Whether all three records were found as published.</summary>
    public bool AllVerified => Spf == DnsRecordStatuses.Verified && Dkim == DnsRecordStatuses.Verified && Dmarc == DnsRecordStatuses.Verified;
}
