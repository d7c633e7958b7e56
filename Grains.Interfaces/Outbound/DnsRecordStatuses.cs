namespace Mail.Grains.Interfaces.Outbound;

/// <summary>The outcomes of checking a published record (<see cref="DnsRecordInfo.Status"/>).</summary>
public static class DnsRecordStatuses
{
    /// <summary>Not checked since the record was listed (or since its value changed).</summary>
    public const string Unverified = "unverified";

    /// <summary>Found as listed.</summary>
    public const string Verified = "verified";

    /// <summary>A record of that kind exists at the name but says something else.</summary>
    public const string Mismatch = "mismatch";

    /// <summary>No record of that kind at the name.</summary>
    public const string Missing = "missing";

    /// <summary>The lookup failed (SERVFAIL, timeout): nothing is known; check again.</summary>
    public const string LookupFailed = "lookup-failed";
}
