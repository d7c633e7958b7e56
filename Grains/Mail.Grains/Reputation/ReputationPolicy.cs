using Mail.Grains.Interfaces.Reputation;
using Mail.Grains.Reputation.Options;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Reputation;

/// <summary>
/// The reputation settings compiled once per silo: the provider table with each provider's shaping (built-in values
/// filled in where configuration leaves a setting out), the pool rules, the automation rules, the configured IPs.
/// </summary>
public sealed class ReputationPolicy
{
    private readonly Dictionary<string, ProviderOptions> _shaping;
    private readonly Dictionary<string, MessageRate?> _rates;

    /// <summary>Compiles the validated options.</summary>
    public ReputationPolicy(IOptions<ReputationOptions> options)
    {
        Options = options.Value;
        _shaping = Merge(Options.Providers);
        _rates = _shaping.ToDictionary(p => p.Key, p => p.Value.MessageRate is { } r ? MessageRate.Parse(r) : (MessageRate?)null, StringComparer.OrdinalIgnoreCase);
        Providers = new ProviderTable(_shaping);
        Rules = new PoolRules(Options.Rules, Options.DefaultPool?.ToLowerInvariant());
        Replies = new ReplyRules(Options.Automation.Count > 0 ? Options.Automation : Options.DefaultAutomation ? ReplyRules.Defaults : []);
        TenantReviewRate = MessageRate.Parse(Options.Thresholds.ReviewRate);
        var configured = new Dictionary<string, ConfiguredIp>(StringComparer.Ordinal);
        foreach (var (pool, settings) in Options.Pools)
        {
            foreach (var ip in settings.Ips) configured[Normalize(ip)] = new ConfiguredIp(pool.ToLowerInvariant(), false);
            foreach (var ip in settings.WarmIps) configured[Normalize(ip)] = new ConfiguredIp(pool.ToLowerInvariant(), true);
        }
        Ips = configured;
    }

    /// <summary>The options as configured.</summary>
    public ReputationOptions Options { get; }

    /// <summary>Whether reputation runs at all (pools, or Enabled).</summary>
    public bool Active => Options.Active;

    /// <summary>Whether any pool is configured (otherwise all mail leaves from the global source address).</summary>
    public bool HasPools => Options.Pools.Count > 0;

    /// <summary>Receiving providers by MX host suffix.</summary>
    public ProviderTable Providers { get; }

    /// <summary>Pool assignment.</summary>
    public PoolRules Rules { get; }

    /// <summary>Automation rules.</summary>
    public ReplyRules Replies { get; }

    /// <summary>The rate a tenant flagged for review is held to.</summary>
    public MessageRate TenantReviewRate { get; }

    /// <summary>Every configured IP (normalized text) with the pool configuration puts it in.</summary>
    public IReadOnlyDictionary<string, ConfiguredIp> Ips { get; }

    /// <summary>The pool names.</summary>
    public IEnumerable<string> PoolNames => Options.Pools.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="pool"/> is configured.</summary>
    public bool IsPool(string pool) => Options.Pools.ContainsKey(pool);

    /// <summary>The configured warm-up schedule of <paramref name="pool"/>.</summary>
    public WarmupScheduleSpec ScheduleOf(string pool) =>
        WarmupSchedule.SpecOf(Options.Pools.TryGetValue(pool, out var p) && p.Warmup is { } w ? w : Options.Warmup);

    /// <summary>The shaping of <paramref name="provider"/> (built-in values where configuration is silent).</summary>
    public ProviderOptions ShapingOf(string provider) => _shaping.TryGetValue(provider, out var s) ? s : new ProviderOptions();

    /// <summary>The configured message rate per source IP for <paramref name="provider"/>, if any.</summary>
    public MessageRate? RateOf(string provider) => _rates.TryGetValue(provider, out var r) ? r : null;

    /// <summary>Every provider with its shaping, <see cref="ProviderTable.Other"/> included.</summary>
    public IEnumerable<(string Name, ProviderOptions Shaping)> AllProviders => Providers.Names.Select(n => (n, ShapingOf(n)));

    /// <summary>An IP address in the form it is stored and compared in.</summary>
    public static string Normalize(string ip) => System.Net.IPAddress.TryParse(ip.Trim(), out var address) ? address.ToString() : ip.Trim();

    private static Dictionary<string, ProviderOptions> Merge(IReadOnlyDictionary<string, ProviderOptions> configured)
    {
        var merged = new Dictionary<string, ProviderOptions>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ProviderTable.Defaults.Keys.Concat(configured.Keys).Select(k => k.ToLowerInvariant()).Distinct())
        {
            var builtIn = ProviderTable.Defaults.GetValueOrDefault(name);
            var set = configured.GetValueOrDefault(name);
            merged[name] = new ProviderOptions
            {
                Suffixes = set is { Suffixes.Count: > 0 } ? set.Suffixes : builtIn?.Suffixes ?? [],
                Connections = set?.Connections ?? builtIn?.Connections,
                MessagesPerConnection = set?.MessagesPerConnection ?? builtIn?.MessagesPerConnection,
                MessageRate = set?.MessageRate ?? builtIn?.MessageRate,
                MessageBurst = set?.MessageBurst ?? builtIn?.MessageBurst ?? 1,
            };
        }
        return merged;
    }
}

/// <summary>Where configuration puts an IP, and whether it starts warm.</summary>
public sealed record ConfiguredIp(string Pool, bool Warm);
