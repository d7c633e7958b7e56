namespace Mail.Grains.Interfaces.Outbound;

/// <summary>
/// A sending domain (keyed by the lower-case domain name): its DKIM keys and selectors (RFC 6376),
/// the DNS records its owner must publish, their verification and key rotation.
/// </summary>
[Alias("mail.ISendingDomainGrain")]
public interface ISendingDomainGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the domain's RSA-2048 key (and an Ed25519 key when Ed25519 signing is on) unless it has
    /// them; idempotent. Throws NotFound when the domain is not hosted.
    /// </summary>
    Task EnsureKeysAsync();

    /// <summary>The records to publish, each with the outcome of its last check.</summary>
    Task<IReadOnlyList<DnsRecordInfo>> GetDnsRecordsAsync();

    /// <summary>Looks every record up in DNS, stores the outcomes and, when a rotated key has verified, starts signing with it.</summary>
    Task<IReadOnlyList<DnsRecordInfo>> VerifyAsync();

    /// <summary>Whether the record of the key mail is signed with has been found in DNS as published.</summary>
    Task<bool> IsDkimVerifiedAsync();

    /// <summary>The last verification outcome of the SPF, DKIM and DMARC records (bulk sending needs all three verified).</summary>
    Task<SenderAuthentication> GetAuthenticationAsync();

    /// <summary>
    /// Creates a new selector and key; it is listed for publishing while signing goes on with the old one,
    /// and replaces it when a verification finds it. A second call before that changes nothing.
    /// </summary>
    Task<IReadOnlyList<DnsRecordInfo>> RotateAsync();

    /// <summary>The keys mail from this domain is signed with now (empty when it has none).</summary>
    Task<IReadOnlyList<DkimSigningKey>> GetSigningKeysAsync();
}
