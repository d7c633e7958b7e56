using System.Net;
using System.Net.Sockets;

namespace Mail.Grains.Interfaces.Security;

/// <summary>The key of a client address's <see cref="IAuthThrottleGrain"/>: an IPv4 address, or an IPv6 /64 network.</summary>
public static class ThrottleKey
{
    /// <summary>
    /// The key of a client. One IPv6 host usually holds a whole /64 (RFC 4291 §2.5.1, SLAAC privacy addresses), so
    /// counting single IPv6 addresses would give an attacker 2^64 fresh starts; IPv4-mapped addresses count as IPv4.
    /// </summary>
    public static string Of(IPAddress client)
    {
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        if (client.AddressFamily != AddressFamily.InterNetworkV6) return client.ToString();
        var bytes = client.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
