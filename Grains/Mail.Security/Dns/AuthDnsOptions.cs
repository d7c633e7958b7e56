namespace Mail.Security.Dns;

/// <summary>Where <see cref="AuthDns"/> sends its queries and how long it waits.</summary>
public sealed class AuthDnsOptions
{
    /// <summary>Resolvers as ip[:port]; the system's when empty. The host passes <c>Mail:Outbound:DnsServers</c>, so inbound and outbound agree.</summary>
    public IReadOnlyList<string> Servers { get; init; } = [];

    /// <summary>Budget of one lookup; an expired budget is a temporary error.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a failed answer (NXDOMAIN, SERVFAIL) is reused (RFC 2308 negative caching); zero asks again every time.</summary>
    public TimeSpan NegativeCache { get; init; } = TimeSpan.Zero;
}
