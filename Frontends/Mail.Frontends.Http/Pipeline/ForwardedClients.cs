using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Mail.Frontends.Http.Pipeline;

/// <summary>
/// Which peers may say who the client is. X-Forwarded-For and X-Forwarded-Proto are read only when the connection comes
/// from a configured proxy, and then only back through the chain of configured proxies: the first address in the header
/// that is not one of them is the client. ASP.NET trusts loopback by default; that default is dropped, so the rate
/// limiter and the login throttle (which key on the client address) cannot be steered by a header on a direct connection.
/// </summary>
public static class ForwardedClients
{
    /// <summary>The middleware's options for <paramref name="knownProxies"/> (addresses or CIDR networks).</summary>
    public static ForwardedHeadersOptions Options(IEnumerable<string> knownProxies)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // No fixed hop count: walk back while the hop that added an entry is a known proxy.
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in knownProxies.Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (entry.Contains('/'))
            {
                if (!System.Net.IPNetwork.TryParse(entry, out var network)) throw Invalid(entry);
                options.KnownIPNetworks.Add(network);
            }
            else
            {
                if (!IPAddress.TryParse(entry, out var address)) throw Invalid(entry);
                options.KnownProxies.Add(address);
                if (address.IsIPv4MappedToIPv6) options.KnownProxies.Add(address.MapToIPv4());
                else if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) options.KnownProxies.Add(address.MapToIPv6());
            }
        }
        return options;
    }

    private static InvalidOperationException Invalid(string entry) =>
        new($"Mail:Http:KnownProxies: '{entry}' is neither an IP address nor a network such as 10.0.0.0/8.");
}
