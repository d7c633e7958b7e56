using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Mail.Testing;

/// <summary>
/// HTTP clients whose connections come from a chosen loopback address (Linux answers on all of 127.0.0.0/8), so a test
/// can be a given client or a given proxy to the host, and each test can have a rate-limit budget of its own.
/// </summary>
public static class SourceBoundHttpClient
{
    /// <summary>
    /// A client for <paramref name="baseAddress"/> connecting from <paramref name="source"/>; for HTTPS, the server's
    /// certificate must pass <paramref name="validate"/> (default: the platform's validation).
    /// </summary>
    public static HttpClient Create(Uri baseAddress, string source, Func<X509Certificate2?, SslPolicyErrors, bool>? validate = null)
    {
        var local = IPAddress.Parse(source);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (validate is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => validate(certificate as X509Certificate2, errors);
        }
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }
}
