using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Outbound;

/// <summary>
/// Where mail for one recipient domain goes: the destination site (its grain key), the hosts to try in order
/// with their TLS requirement, or why it cannot go anywhere now (<see cref="Failure"/>).
/// </summary>
public sealed record OutboundRoute(string Site, IReadOnlyList<RouteHost> Hosts, bool Relay, RouteFailure? Failure)
{
    /// <summary>A route that fails every recipient of the domain the same way.</summary>
    public static OutboundRoute Failed(string domain, RouteFailure failure) => new("unroutable:" + domain, [], false, failure);
}

/// <summary>One host of a route: name (for SNI, MTA-STS and DANE name checks), port and TLS requirement.</summary>
public sealed record RouteHost(string Name, int Port, TlsRequirement Tls);

/// <summary>Why a domain has no route: permanent (bounce now) or temporary (try later), with an RFC 3463 status.</summary>
public sealed record RouteFailure(bool Permanent, string StatusCode, string Text);
