namespace Mail.Grains.Reputation;

/// <summary>What rolling counters are kept for.</summary>
public static class CounterScopes
{
    /// <summary>A source IP, per provider.</summary>
    public const string Ip = "ip";

    /// <summary>A sending tenant.</summary>
    public const string Tenant = "tenant";

    /// <summary>A sending domain.</summary>
    public const string Domain = "domain";

    /// <summary>Every scope.</summary>
    public static IReadOnlyList<string> All { get; } = [Ip, Tenant, Domain];
}
