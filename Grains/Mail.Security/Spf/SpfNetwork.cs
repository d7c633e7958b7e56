using System.Net;

namespace Mail.Security.Spf;

/// <summary>CIDR matching (RFC 7208 §5.6): the client matches when its first <c>prefix</c> bits equal the network's; families never match each other.</summary>
public static class SpfNetwork
{
    /// <summary>Whether <paramref name="client"/> is inside <paramref name="network"/>/<paramref name="prefix"/>.</summary>
    public static bool Contains(IPAddress network, int prefix, IPAddress client)
    {
        network = SpfMacro.Normalize(network);
        client = SpfMacro.Normalize(client);
        if (network.AddressFamily != client.AddressFamily) return false;
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        network.TryWriteBytes(a, out var length);
        client.TryWriteBytes(b, out _);
        for (var bit = 0; bit < Math.Min(prefix, length * 8); bit += 8)
        {
            var bits = Math.Min(8, prefix - bit);
            var mask = (byte)(0xFF << (8 - bits));
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) return false;
        }
        return true;
    }
}
