namespace Mail.Grains.Interfaces.Outbound;

/// <summary>Why a record is listed (<see cref="DnsRecordInfo.Purpose"/>).</summary>
public static class DnsRecordPurposes
{
    /// <summary>MX: mail for the domain reaches this platform.</summary>
    public const string Inbound = "inbound";

    /// <summary>MX of the return-path domain: bounces to bounces+token@domain come back here.</summary>
    public const string ReturnPath = "return-path";

    /// <summary>SPF (RFC 7208) TXT at the domain.</summary>
    public const string Spf = "spf";

    /// <summary>DKIM key record (RFC 6376 §3.6.1) at selector._domainkey.domain.</summary>
    public const string Dkim = "dkim";

    /// <summary>The key of a rotation that is no longer signed with but still verifies mail signed before the switch.</summary>
    public const string DkimRetired = "dkim-retired";

    /// <summary>DMARC policy (RFC 7489 §6.1) TXT at _dmarc.domain.</summary>
    public const string Dmarc = "dmarc";
}
