using Mail.Grains.Hosting;
using Mail.Grains.Reputation;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Outbound;

/// <summary>The services and settings every destination's pump shares (one per silo).</summary>
public sealed class DestinationContext(
    IOptions<OutboundOptions> options,
    MailClock clock,
    OutboundLeaseStore leases,
    OutboundRouter router,
    OutboundConnector connector,
    OutcomeRecorder recorder,
    IBlobStore blobs,
    ReputationPolicy reputation,
    ILogger<DestinationPump> logger)
{
    /// <summary>Outbound settings.</summary>
    public OutboundOptions Options { get; } = options.Value;

    /// <summary>The clock (a fake one in tests).</summary>
    public TimeProvider Clock { get; } = clock;

    /// <summary>Leases and outcomes of queue rows.</summary>
    public OutboundLeaseStore Leases { get; } = leases;

    /// <summary>Domain to route.</summary>
    public OutboundRouter Router { get; } = router;

    /// <summary>Opens connections to a route's hosts.</summary>
    public OutboundConnector Connector { get; } = connector;

    /// <summary>Records attempts' outcomes.</summary>
    public OutcomeRecorder Recorder { get; } = recorder;

    /// <summary>Message content.</summary>
    public IBlobStore Blobs { get; } = blobs;

    /// <summary>Log of the destinations.</summary>
    public ILogger Logger { get; } = logger;

    /// <summary>
    /// The limits of a route from a pool's source IP: the receiving provider's shaping (Mail:Reputation:Providers), any
    /// setting it leaves out as <see cref="LimitsFor(OutboundRoute)"/> says.
    /// </summary>
    public DestinationLimits LimitsFor(OutboundRoute route, string domain, bool fromPool)
    {
        var limits = LimitsFor(route);
        if (!fromPool) return limits;
        var shaping = reputation.ShapingOf(reputation.Providers.Classify(route.Hosts.Select(h => h.Name), domain));
        return new DestinationLimits
        {
            Connections = shaping.Connections ?? limits.Connections,
            MessagesPerConnection = shaping.MessagesPerConnection ?? limits.MessagesPerConnection,
        };
    }

    /// <summary>The limits of a route: the first provider override whose suffix matches one of its hosts, else the defaults.</summary>
    private DestinationLimits LimitsFor(OutboundRoute route)
    {
        foreach (var (suffix, limits) in Options.Providers)
        {
            var dotted = "." + suffix.TrimStart('.');
            if (route.Hosts.Any(h => h.Name.EndsWith(dotted, StringComparison.OrdinalIgnoreCase) || h.Name.Equals(suffix, StringComparison.OrdinalIgnoreCase)))
            {
                return limits;
            }
        }
        return new DestinationLimits { Connections = Options.ConnectionsPerDestination, MessagesPerConnection = Options.MessagesPerConnection };
    }
}
