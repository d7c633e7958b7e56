namespace Mail.Grains.Outbound.Dns;

/// <summary>
/// The hosts to try for a recipient domain with their TLS requirements, or, when none may be used, why:
/// <see cref="Failure"/> is then a temporary failure (the message is deferred, RFC 8461 §5.1, RFC 7672 §2.2).
/// </summary>
public sealed record TlsRoute(IReadOnlyList<RoutedHost> Hosts, string? Failure)
{
    /// <summary>True when at least one host may be tried.</summary>
    public bool Deliverable => Hosts.Count > 0;

    /// <summary>No host may be used, for <paramref name="reason"/>.</summary>
    public static TlsRoute Deferred(string reason) => new([], reason);
}
