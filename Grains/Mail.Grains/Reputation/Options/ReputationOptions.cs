namespace Mail.Grains.Reputation.Options;

/// <summary>
/// Settings of sender reputation, bound from "Mail:Reputation" (README, "Sender reputation", lists them). Without
/// pools and without <see cref="Enabled"/> nothing of it runs and mail leaves as before: from the global
/// Mail:Outbound:SourceAddress, without caps, counters or automation.
/// </summary>
public sealed class ReputationOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail:Reputation";

    /// <summary>Counters, tenant thresholds and automation even without pools (configuring a pool turns them on too).</summary>
    public bool Enabled { get; set; }

    /// <summary>Pools of source IPs by name.</summary>
    public Dictionary<string, IpPoolOptions> Pools { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Assignment rules, checked in order; the first whose every condition matches names the pool.</summary>
    public List<PoolRuleOptions> Rules { get; set; } = [];

    /// <summary>The pool of mail no rule assigns; without it such mail leaves from the global source address, uncapped.</summary>
    public string? DefaultPool { get; set; }

    /// <summary>Receiving providers by name: their MX host suffixes and shaping (gmail, microsoft and yahoo are built in).</summary>
    public Dictionary<string, ProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Automation rules on remote replies; empty: the built-in ones (<see cref="DefaultAutomation"/>).</summary>
    public List<AutomationRuleOptions> Automation { get; set; } = [];

    /// <summary>Use the built-in automation rules when <see cref="Automation"/> is empty.</summary>
    public bool DefaultAutomation { get; set; } = true;

    /// <summary>The warm-up schedule of pools that set none.</summary>
    public WarmupOptions Warmup { get; set; } = new();

    /// <summary>Tenant bounce and complaint thresholds.</summary>
    public TenantThresholdOptions Thresholds { get; set; } = new();

    /// <summary>An IP that sent nothing for this many days starts its warm-up again.</summary>
    public int IdleDaysBeforeRewarm { get; set; } = 30;

    /// <summary>How long mail held for a paused tenant or pool waits before it is looked at again (a lift or resume makes it due at once).</summary>
    public int HoldRecheckSeconds { get; set; } = 300;

    /// <summary>How often each silo writes the counters it gathered (and has the tenants' thresholds checked).</summary>
    public int CounterFlushMilliseconds { get; set; } = 1000;

    /// <summary>Hourly counter buckets and IP usage older than this are deleted.</summary>
    public int CounterRetentionDays { get; set; } = 8;

    /// <summary>Whether reputation runs at all.</summary>
    public bool Active => Enabled || Pools.Count > 0;
}
