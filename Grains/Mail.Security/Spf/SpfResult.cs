namespace Mail.Security.Spf;

/// <summary>The results of check_host() (RFC 7208 §2.6), named as in Authentication-Results (RFC 8601 §2.7.2).</summary>
public enum SpfResult
{
    /// <summary>No SPF record, or no valid domain to check (RFC 7208 §2.6.1).</summary>
    None,
    /// <summary>The domain states nothing about the client (RFC 7208 §2.6.2).</summary>
    Neutral,
    /// <summary>The client is authorized (RFC 7208 §2.6.3).</summary>
    Pass,
    /// <summary>The client is not authorized (RFC 7208 §2.6.4).</summary>
    Fail,
    /// <summary>Probably not authorized (RFC 7208 §2.6.5).</summary>
    SoftFail,
    /// <summary>A transient DNS error (RFC 7208 §2.6.6).</summary>
    TempError,
    /// <summary>The record is wrong or exceeds the processing limits (RFC 7208 §2.6.7).</summary>
    PermError,
}
