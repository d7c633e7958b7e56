using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Reputation.Webhooks;

/// <summary>
/// Which endpoints a tenant may register and which addresses the dispatcher may connect to. A URL is checked when it
/// is registered; the address is checked again on every connection, after DNS, so a name that later resolves to an
/// internal address (DNS rebinding) reaches nothing inside.
/// </summary>
public sealed class WebhookTargets(IOptions<WebhookOptions> options)
{
    private readonly WebhookOptions _options = options.Value;

    /// <summary>Null when <paramref name="url"/> may be registered, else why not.</summary>
    public string? Refusal(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "url is required.";
        if (url.Length > _options.MaxUrlLength) return $"url is longer than {_options.MaxUrlLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "url must be an absolute http(s) URL.";
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && _options.AllowHttp))
            return _options.AllowHttp ? "url must be http or https." : "url must be https.";
        if (uri.UserInfo.Length > 0) return "url must not carry credentials; put a token in the path or verify the signature.";
        if (IPAddress.TryParse(uri.IdnHost, out var literal) && !IsAllowed(literal)) return "url must not point at a private or loopback address.";
        return null;
    }

    /// <summary>Whether the dispatcher may connect to <paramref name="address"/>.</summary>
    public bool IsAllowed(IPAddress address) => _options.AllowPrivateTargets || IsPublic(address);

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host and connects to its first allowed address.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(IsAllowed).ToArray();
        if (allowed.Length == 0) throw new HttpRequestException($"{host} resolves to no address webhooks may be sent to.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // Public unicast only: not loopback, RFC 1918, CGNAT (RFC 6598), link-local, unique-local (RFC 4193), unspecified,
    // multicast, broadcast or documentation/benchmark ranges, including IPv4 carried in IPv6.
    private static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224
                     || (b[0] == 100 && b[1] is >= 64 and < 128)
                     || (b[0] == 169 && b[1] == 254)
                     || (b[0] == 172 && b[1] is >= 16 and < 32)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                     || (b[0] == 198 && b[1] is 18 or 19)
                     || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                     || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        var v6 = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal
                 || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8));
    }
}
