using System.Net;

namespace Mail.Security.Spf;

/// <summary>
/// One directive of a record (RFC 7208 §4.6.1): qualifier, mechanism name, the domain-spec after ':' (unexpanded),
/// the CIDR lengths of a, mx, ip4 and ip6 (§5.6) and the network of ip4/ip6.
/// </summary>
public sealed record SpfTerm(char Qualifier, string Name, string? Value, int Ip4Prefix = 32, int Ip6Prefix = 128, IPAddress? Network = null);
