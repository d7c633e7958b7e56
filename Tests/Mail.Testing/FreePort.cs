using System.Net;
using System.Net.Sockets;

namespace Mail.Testing;

/// <summary>Picks loopback ports that are free right now, so parallel test hosts do not collide.</summary>
public static class FreePort
{
    /// <summary>A free TCP port on 127.0.0.1.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
