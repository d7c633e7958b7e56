using System.Net;

namespace Mail.Grains.Outbound.Dns;

/// <summary>The DNS lookups the outbound MTA and domain verification need, through the configured resolvers.</summary>
public interface IMailDns
{
    /// <summary>MX of a domain (RFC 5321 §5.1): hosts in preference order, random among equals; A/AAAA fallback; null MX (RFC 7505).</summary>
    Task<MxLookup> LookupMxAsync(string domain, CancellationToken ct);

    /// <summary>TXT records of a name, each record's strings joined.</summary>
    Task<DnsAnswer<string>> LookupTxtAsync(string name, CancellationToken ct);

    /// <summary>A and AAAA records of a host.</summary>
    Task<DnsAnswer<IPAddress>> LookupAddressesAsync(string host, CancellationToken ct);

    /// <summary>TLSA records of _port._tcp.host (RFC 6698); Authenticated tells whether the resolver validated them.</summary>
    Task<DnsAnswer<TlsaRecord>> LookupTlsaAsync(string host, int port, CancellationToken ct);
}

/// <summary>How a lookup ended.</summary>
public enum DnsStatus
{
    /// <summary>Records found.</summary>
    Ok,
    /// <summary>The name exists but has no records of the type.</summary>
    NoData,
    /// <summary>The name does not exist (RCODE 3).</summary>
    NxDomain,
    /// <summary>SERVFAIL, refused or timeout: try again later.</summary>
    TempFail,
}

/// <summary>The records of one lookup; <paramref name="Authenticated"/> is the AD bit of a validating resolver.</summary>
public sealed record DnsAnswer<T>(DnsStatus Status, IReadOnlyList<T> Records, bool Authenticated, string? Error = null);

/// <summary>A TLSA record (RFC 6698 §2.1).</summary>
public sealed record TlsaRecord(byte Usage, byte Selector, byte MatchingType, byte[] Data)
{
    /// <summary>
    /// Usable for SMTP (RFC 7672 §3.1): DANE-TA(2) or DANE-EE(3) with a known selector (0 full certificate, 1 SPKI) and
    /// matching type (0 exact, 1 SHA-256, 2 SHA-512); PKIX-TA(0) and PKIX-EE(1) are not (RFC 7672 §3.1.3).
    /// </summary>
    public bool IsUsableForSmtp => Usage is 2 or 3 && Selector is 0 or 1 && MatchingType is 0 or 1 or 2 && Data.Length > 0;
}

/// <summary>One MX host with its preference.</summary>
public sealed record MxHost(string Name, int Preference);

/// <summary>
/// The result of resolving where mail for a domain goes. <see cref="Hosts"/> is in the order to try;
/// when the domain has no MX, it holds the domain itself (implicit MX, RFC 5321 §5.1).
/// </summary>
public sealed record MxLookup(DnsStatus Status, bool NullMx, IReadOnlyList<MxHost> Hosts, bool Authenticated, string? Error = null);
