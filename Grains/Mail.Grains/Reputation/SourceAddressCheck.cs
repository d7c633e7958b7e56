using System.Net;
using System.Net.Sockets;

namespace Mail.Grains.Reputation;

/// <summary>
/// Whether this host can send from a source IP: binding it as a local address fails when it is on no interface. Such an
/// IP is left out of its pool with a clear log line, instead of failing every connection made from it.
/// </summary>
public static class SourceAddressCheck
{
    /// <summary>Why <paramref name="ip"/> cannot be bound here, or null when it can.</summary>
    public static string? Problem(string ip)
    {
        if (!IPAddress.TryParse(ip, out var address)) return $"'{ip}' is not an IP address";
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, 0));
            return null;
        }
        catch (SocketException e)
        {
            return $"cannot bind {ip} as a source address: {e.Message}";
        }
    }
}
