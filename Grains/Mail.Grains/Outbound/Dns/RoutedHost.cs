namespace Mail.Grains.Outbound.Dns;

/// <summary>An MX host the sender may connect to, in order, and the TLS it must get there.</summary>
public sealed record RoutedHost(string Name, int Preference, TlsRequirement Tls);
