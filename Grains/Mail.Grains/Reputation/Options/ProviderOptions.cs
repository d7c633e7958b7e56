namespace Mail.Grains.Reputation.Options;

/// <summary>
/// A receiving provider: mail whose MX host (or, failing that, recipient domain) ends in one of <see cref="Suffixes"/>
/// is counted and shaped as this provider's, per source IP.
/// </summary>
public sealed class ProviderOptions
{
    /// <summary>MX host or domain suffixes, e.g. google.com.</summary>
    public List<string> Suffixes { get; set; } = [];

    /// <summary>Concurrent connections per source IP and destination site; null: Mail:Outbound's.</summary>
    public int? Connections { get; set; }

    /// <summary>Messages per connection; null: Mail:Outbound's.</summary>
    public int? MessagesPerConnection { get; set; }

    /// <summary>Message rate per source IP, "N/s", "N/m", "N/h" or "N/d"; null: none.</summary>
    public string? MessageRate { get; set; }

    /// <summary>Messages the rate lets through at once after a quiet spell.</summary>
    public int MessageBurst { get; set; } = 1;
}
