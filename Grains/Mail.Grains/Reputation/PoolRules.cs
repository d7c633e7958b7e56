using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Reputation.Options;

namespace Mail.Grains.Reputation;

/// <summary>
/// Assigns mail to a pool: the first rule (in configuration order) whose every condition matches the sending domain,
/// tenant and stream class, else the default pool, else none (the global source address, uncapped).
/// </summary>
public sealed class PoolRules(IReadOnlyList<PoolRuleOptions> rules, string? defaultPool)
{
    /// <summary>The rules in order.</summary>
    public IReadOnlyList<PoolRuleOptions> Rules { get; } = rules;

    /// <summary>The pool of unassigned mail, if any.</summary>
    public string? DefaultPool { get; } = string.IsNullOrWhiteSpace(defaultPool) ? null : defaultPool;

    /// <summary>The pool of mail from <paramref name="sendingDomain"/> by <paramref name="tenant"/> in <paramref name="streamClass"/> (null: transactional).</summary>
    public string? PoolFor(string? sendingDomain, string? tenant, string? streamClass)
    {
        var cls = StreamClasses.Parse(streamClass) ?? StreamClasses.Transactional;
        foreach (var rule in Rules)
        {
            if (rule.SendingDomain is { Length: > 0 } d && !string.Equals(d, sendingDomain, StringComparison.OrdinalIgnoreCase)) continue;
            if (rule.Tenant is { Length: > 0 } t && !string.Equals(t, tenant, StringComparison.OrdinalIgnoreCase)) continue;
            if (rule.Class is { Length: > 0 } c && !string.Equals(c, cls, StringComparison.OrdinalIgnoreCase)) continue;
            return rule.Pool;
        }
        return DefaultPool;
    }
}
