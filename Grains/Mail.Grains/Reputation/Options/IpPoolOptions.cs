namespace Mail.Grains.Reputation.Options;

/// <summary>One pool: its IPs (an IP belongs to one pool) and its warm-up schedule.</summary>
public sealed class IpPoolOptions
{
    /// <summary>IPs that start their warm-up (day 1) when first configured.</summary>
    public List<string> Ips { get; set; } = [];

    /// <summary>IPs that are already warm (full volume, no caps) when first configured.</summary>
    public List<string> WarmIps { get; set; } = [];

    /// <summary>This pool's schedule; null: Mail:Reputation:Warmup.</summary>
    public WarmupOptions? Warmup { get; set; }
}
