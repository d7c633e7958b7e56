namespace Mail.Security.Dns;

/// <summary>How a lookup ended.</summary>
public enum AuthDnsStatus
{
    /// <summary>Records found.</summary>
    Ok,
    /// <summary>The name exists without records of the type (a void lookup, RFC 7208 §4.6.4).</summary>
    NoData,
    /// <summary>The name does not exist (RCODE 3; also a void lookup).</summary>
    NxDomain,
    /// <summary>SERVFAIL, refused or timeout: a temporary error (RFC 7208 §2.6.6).</summary>
    TempFail,
}
