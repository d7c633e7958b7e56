using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mail.Grains.Outbound.Dns;
using Mail.Grains.Outbound.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Outbound;

/// <summary>
/// Opens a connection to the first reachable host of a route: MX hosts in order, each host's addresses in
/// order (RFC 5321 §5.1), binding the source IP a pool granted (else the configured source address) and enforcing
/// the host's TLS requirement.
/// </summary>
public sealed class OutboundConnector(IMailDns dns, IOptions<OutboundOptions> options, ILogger<OutboundConnector> logger)
{
    private readonly OutboundOptions _options = options.Value;
    private readonly X509Certificate2Collection _roots = ExtraTrustedRoots.Load(options.Value.ExtraTrustedRootsPath);
    private readonly IPAddress? _source = string.IsNullOrWhiteSpace(options.Value.SourceAddress) ? null : IPAddress.Parse(options.Value.SourceAddress);

    /// <summary>The open connection and its host, or why none could be opened; <paramref name="source"/> null binds the configured source address.</summary>
    public async Task<(OutboundConnection? Connection, RouteHost? Host, DeliveryFailure Failure)> ConnectAsync(OutboundRoute route, IPAddress? source, CancellationToken ct)
    {
        source ??= _source;
        var failure = new DeliveryFailure(false, "4.4.1", "no host to connect to", null, SuspendsSite: true);
        var unreachableOnly = true;
        foreach (var host in route.Hosts)
        {
            var addresses = await AddressesAsync(host.Name, ct);
            if (addresses.Status != DnsStatus.Ok)
            {
                failure = new DeliveryFailure(false, "4.4.3", $"Host {host.Name} not found ({addresses.Status})", host.Name, SuspendsSite: true);
                continue;
            }
            foreach (var address in addresses.Records)
            {
                var credentials = route.Relay && _options.RelayUsername is { } user ? new SmtpCredentials(user, _options.RelayPassword ?? "") : null;
                var endpoint = new OutboundEndpoint(host.Name, address, host.Port, host.Tls,
                    (certificate, chain, errors, out reason) => TlsCertificateCheck.IsAcceptable(host.Tls, host.Name, certificate, chain, errors, _roots, out reason),
                    credentials, source);
                try
                {
                    return (await OutboundConnection.OpenAsync(endpoint, _options, ct), host, failure);
                }
                catch (OutboundConnectionException e)
                {
                    logger.LogInformation("Connect to {Host} [{Address}]:{Port} failed: {Reason}", host.Name, address, host.Port, e.Message);
                    unreachableOnly &= e.Reply is null;
                    failure = new DeliveryFailure(false, e.Reply?.EnhancedCode ?? "4.4.1", $"connect to {host.Name}[{address}]:{host.Port}: {e.Message}", host.Name, SuspendsSite: unreachableOnly);
                }
            }
        }
        return (null, null, failure);
    }

    private async Task<DnsAnswer<IPAddress>> AddressesAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host, out var literal)
            ? new DnsAnswer<IPAddress>(DnsStatus.Ok, [literal], false)
            : await dns.LookupAddressesAsync(host, ct);
}
