using System.Net;

namespace Mail.Security.Dns;

/// <summary>
/// The lookups sender authentication needs (RFC 7208 §4.6.4 TXT, A/AAAA, MX; RFC 6376 §3.6.2 key records; RFC 7489 §6.1
/// policy records). Failures are answers (<see cref="AuthDnsStatus"/>), because SPF and DMARC give them meaning.
/// </summary>
public interface IAuthDns
{
    /// <summary>TXT records of a name, each record's strings joined (RFC 7208 §3.3).</summary>
    Task<AuthDnsAnswer<string>> TxtAsync(string name, CancellationToken ct);

    /// <summary>A (IPv4) or AAAA (IPv6) records of a name.</summary>
    Task<AuthDnsAnswer<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken ct);

    /// <summary>MX exchange names of a domain, in preference order.</summary>
    Task<AuthDnsAnswer<string>> MxAsync(string domain, CancellationToken ct);
}
